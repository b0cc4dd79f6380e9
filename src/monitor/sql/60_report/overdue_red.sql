-- One row: how many households warned red in this run an earlier run's workbooks already
-- carried with a red signal, unanswered since (no disposition decided on or after that run's
-- as-of date, up to $as_of) and past that run's 处置时限 for them. The first such run counts.
with red_now as (
    select household_key
    from warnings_current
    where tier = 'red'
),

first_red as (
    select
        i.household_key,
        min(i.run_id) as first_run,
        arg_min(i.deadline, i.run_id) as deadline
    from issued_signals as i
    inner join red_now as n using (household_key)
    where i.run_id < $run_id and i.tier = 'red'
    group by i.household_key
),

answered as (
    select distinct f.household_key
    from first_red as f
    inner join runs as r on r.run_id = f.first_run
    inner join dispositions as d on d.household_key = f.household_key
    where d.decided_on >= r.as_of and d.decided_on <= $as_of
),

final as (
    select count(*) as households
    from first_red as f
    left join answered as a using (household_key)
    where a.household_key is null and f.deadline < $as_of
)

select * from final
