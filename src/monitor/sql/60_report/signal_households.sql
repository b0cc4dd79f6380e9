-- One row per signal raised in this run (not held back by a disposition), by code: how many
-- households carry it.
select
    code,
    count(distinct household_key) as households
from signals_after_dispositions
where not suppressed
group by code
order by code
