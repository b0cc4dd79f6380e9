-- One row per household warned in this run: where it is, its tier and its members' IDs
-- (what-if compares two policies by these).
select household_key, county, township, tier, member_ids
from warnings_current
