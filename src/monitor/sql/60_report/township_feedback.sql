-- One row per (county, township) of the households that earlier runs' workbooks carried: how
-- many were sent, how many caseworkers answered (a disposition decided on or after the
-- household was first sent), how many are still warned, unanswered and past their first
-- 处置时限, and the latest answers by result. By county name (outside the city: 市外, last) in
-- the order of the codes in force, then township.
with sent as (
    select
        household_key,
        arg_min(county, run_id) as county,
        arg_min(township, run_id) as township,
        min(run_id) as first_run,
        arg_min(deadline, run_id) as deadline
    from issued_signals
    where run_id < $run_id
    group by household_key
),

answers as (
    select
        d.household_key,
        arg_max(d.outcome, d.recorded_at) as outcome
    from dispositions as d
    inner join sent as s using (household_key)
    inner join runs as r on r.run_id = s.first_run
    where d.decided_on >= r.as_of and d.decided_on <= $as_of
    group by d.household_key
),

final as (
    select
        coalesce(c.name, '市外') as county,
        coalesce(s.township, '待分派') as township,
        min(c.county) as county_code,
        count(*) as sent,
        count(a.household_key) as answered,
        count(*) filter (
            where a.household_key is null and s.deadline < $as_of and w.household_key is not null
        ) as overdue,
        count(*) filter (where a.outcome = '已核实-已救助') as helped,
        count(*) filter (where a.outcome = '已核实-不符合条件') as not_eligible,
        count(*) filter (where a.outcome = '已核实-已纳入低保') as enrolled,
        count(*) filter (where a.outcome = '无法联系') as unreachable,
        count(*) filter (where a.outcome = '其他') as other
    from sent as s
    left join answers as a using (household_key)
    left join warnings_current as w using (household_key)
    left join city_counties as c on c.code = s.county
    group by 1, 2
)

select * from final
order by county_code nulls last, county, township
