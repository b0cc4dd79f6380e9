-- One row per household warned in this run (warnings_current), in warnings.csv's order
-- (tier, score descending, household_key), and whether run $previous_run_id warned it too
-- (null: there is no previous run, every household is new).
with previous as (
    select distinct household_key
    from warning_history
    where run_id = $previous_run_id
)

select
    w.*,
    p.household_key is not null as seen_before
from warnings_current as w
inner join tier_ranks as t using (tier)
left join previous as p using (household_key)
order by t.tier_rank, w.score desc, w.household_key
