-- One row per run up to this one, by as-of date: the completed runs before $as_of (their
-- warning lists in warning_history, a run that warned no one included) and this run
-- (warnings_current: publishing remembers it in warning_history only after the report is
-- written): warned households by tier and in all.
with earlier as (
    select
        r.as_of,
        h.tier,
        h.household_key
    from runs as r
    left join warning_history as h using (run_id)
    where r.status = 'completed' and r.as_of < $as_of
),

this_run as (
    select
        cast($as_of as date) as as_of,
        cast(null as varchar) as tier,
        cast(null as varchar) as household_key
    union all
    select
        cast($as_of as date) as as_of,
        tier,
        household_key
    from warnings_current
),

lists as (
    select * from earlier
    union all
    select * from this_run
),

final as (
    select
        as_of,
        count(*) filter (where tier = 'red') as red,
        count(*) filter (where tier = 'orange') as orange,
        count(*) filter (where tier = 'yellow') as yellow,
        count(*) filter (where tier = 'review') as review,
        count(household_key) as households
    from lists
    group by as_of
)

select * from final
order by as_of
