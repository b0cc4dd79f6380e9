-- Remembers every household warned in run $run_id (as-of $as_of): where it was and its tier
-- and codes, for the next run's 新增/持续 and resolved.csv.
insert into warning_history (run_id, as_of, household_key, county, township, tier, codes)
select $run_id, $as_of, household_key, county, township, tier, codes
from warnings_current
