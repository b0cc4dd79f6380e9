-- One row: how many runs warned household $household_key (0: a disposition names a
-- household the pipeline never warned, most likely a mistyped 家庭编号).
select count(*) as runs
from warning_history
where household_key = $household_key
