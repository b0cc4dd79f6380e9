-- At most one row: the latest completed run whose as-of date is on or before $month_end (a
-- month's last completed run, for monitor price-subsidy), with its as-of date and the
-- latest completed run's (the state holds that run's tables).
with completed as (
    select run_id, as_of from runs where status = 'completed'
),

final as (
    select
        c.run_id,
        c.as_of,
        (select max(as_of) from completed) as latest_as_of
    from completed as c
    where c.as_of <= cast($month_end as date)
    order by c.as_of desc
    limit 1
)

select * from final
