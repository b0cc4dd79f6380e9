-- One row per completed run up to as-of date $as_of: whether it warned household
-- $household_key (warning_history: tier and codes, null when it did not) and the 处置时限 its
-- workbooks gave it (issued_signals). By as-of date.
with done as (
    select run_id, as_of from runs where status = 'completed' and as_of <= $as_of
),

warned as (
    select * from warning_history where household_key = $household_key
),

issued as (
    select run_id, min(deadline) as deadline
    from issued_signals
    where household_key = $household_key
    group by run_id
),

final as (
    select
        d.run_id,
        d.as_of,
        w.tier,
        w.codes,
        w.township,
        i.deadline
    from done as d
    left join warned as w using (run_id)
    left join issued as i using (run_id)
)

select * from final
order by as_of, run_id
