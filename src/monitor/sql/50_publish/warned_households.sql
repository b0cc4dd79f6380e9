-- One row per household warned in this run: where it is and its tier (what-if compares two
-- policies by these).
select household_key, county, township, tier
from warnings_current
