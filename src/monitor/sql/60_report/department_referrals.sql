-- One row per department with referrals: this run's list ($run_id: rows and households), and
-- over every list up to this run, the distinct (household, 救助建议) sent to it, how many the
-- department answered (a result returned in any run's list), and the latest answers by result
-- (by 办理日期, then record time). Counts only; by department.
with this_run as (
    select department, count(*) as items, count(distinct household_key) as households
    from referrals
    where run_id = $run_id
    group by department
),

sent as (
    select distinct department, household_key, recommendation
    from referrals
    where run_id <= $run_id
),

latest as (
    select distinct on (department, household_key, recommendation)
        department, household_key, recommendation, result
    from referral_results
    where run_id <= $run_id
    order by department, household_key, recommendation, decided_on desc, recorded_at desc
),

answered as (
    select
        s.department,
        count(*) as sent,
        count(l.result) as answered,
        count(*) filter (where l.result = '已纳入救助') as enrolled,
        count(*) filter (where l.result = '此前已享受') as already,
        count(*) filter (where l.result = '不符合条件') as not_eligible,
        count(*) filter (where l.result = '办理中') as in_progress,
        count(*) filter (where l.result = '其他') as other
    from sent as s
    left join latest as l using (department, household_key, recommendation)
    group by s.department
),

final as (
    select
        a.department,
        coalesce(t.items, 0) as items,
        coalesce(t.households, 0) as households,
        a.sent,
        a.answered,
        a.enrolled,
        a.already,
        a.not_eligible,
        a.in_progress,
        a.other
    from answered as a
    left join this_run as t using (department)
)

select * from final
order by department
