-- One row per household that already receives assistance according to the exports (the
-- assistance chain, 一户一条救助链: policy.md "More of the plan"), what each export says and
-- the sentence warnings.csv shows beside the warning ("已享受：医疗救助 3,200 元（近12个月）；
-- 教育资助 1,000 元"), in a fixed order:
--   the roster's 月保障金额 of a household on assistance (状态 在保 or 渐退; the head's row);
--   医疗救助支付 of the members' settlements in the medical window (refunds net out);
--   教育 资助金额 of the living members' latest 学年 on record (是否享受资助 是; a blank 学年
--     is the school year in course when its file was first delivered, as for DROPOUT);
--   住建 是否纳入危房改造 是 of a member's housing record;
--   人社 是否领取失业保险金 是 of a living member (the current HR picture).
with households as (
    select * from households_routed
),

members as (
    select * from member_facts
),

benefit as (
    select
        household_key,
        case category when '低保' then '低保金' when '特困' then '特困供养金'
            else category || '保障金' end as benefit_label,
        monthly_benefit
    from households
    where monthly_benefit > 0 and coalesce(status, '在保') <> '退出' and category is not null
),

medical as (
    select
        m.household_key,
        sum(s.assistance_paid) as medical_assistance,
        count(*) filter (where s.assistance_paid > 0) as medical_settlements
    from settlements as s
    inner join members as m using (person_id)
    where s.assistance_paid is not null
    group by m.household_key
),

education as (
    select
        e.person_id,
        e.aided,
        e.aid_amount,
        coalesce(
            e.school_year,
            year(d.delivered) - case when month(d.delivered) < 9 then 1 else 0 end
        ) as effective_year
    from linked_education as e
    inner join members as m using (person_id)
    -- a run's id is its as-of date
    left join (
        select file_hash, coalesce(try_cast(first_run_id as date), cast($as_of as date)) as delivered
        from files
    ) as d using (file_hash)
    where m.alive
),

latest_year as (
    select person_id, max(effective_year) as effective_year
    from education
    group by person_id
),

education_aid as (
    select
        m.household_key,
        sum(e.aid_amount) as education_aid,
        count(distinct e.person_id) as education_aided_students
    from education as e
    inner join latest_year as l using (person_id, effective_year)
    inner join members as m using (person_id)
    where e.aided = '是' or e.aid_amount > 0
    group by m.household_key
),

renovation as (
    select distinct m.household_key
    from linked_housing as h
    inner join members as m using (person_id)
    where h.in_renovation = '是'
),

unemployment as (
    select m.household_key, count(distinct h.person_id) as unemployment_benefit_members
    from hr_current as h
    inner join members as m using (person_id)
    where m.alive and h.unemployment_benefit = '是'
    group by m.household_key
),

receiving as (
    select household_key from benefit
    union
    select household_key from medical where medical_assistance > 0
    union
    select household_key from education_aid
    union
    select household_key from renovation
    union
    select household_key from unemployment
),

joined as (
    select
        r.household_key,
        b.benefit_label,
        b.monthly_benefit,
        case when md.medical_assistance > 0 then md.medical_assistance end as medical_assistance,
        case when md.medical_assistance > 0 then md.medical_settlements end as medical_settlements,
        ea.education_aid,
        ea.education_aided_students,
        rv.household_key is not null as in_renovation,
        u.unemployment_benefit_members
    from receiving as r
    left join benefit as b using (household_key)
    left join medical as md using (household_key)
    left join education_aid as ea using (household_key)
    left join renovation as rv using (household_key)
    left join unemployment as u using (household_key)
),

final as (
    select
        *,
        '已享受：' || concat_ws(
            '；',
            case when monthly_benefit is not null
                then benefit_label || ' ' || format('{:,.0f}', monthly_benefit) || ' 元/月' end,
            case when medical_assistance is not null
                then '医疗救助 ' || format('{:,.0f}', medical_assistance) || ' 元（近' || $medical_months
                    || '个月）' end,
            case when education_aided_students is not null
                then '教育资助' || coalesce(' ' || format('{:,.0f}', education_aid) || ' 元', '（金额未填）') end,
            case when in_renovation then '已纳入危房改造' end,
            case when unemployment_benefit_members is not null
                then '失业保险金（' || unemployment_benefit_members || ' 人）' end
        ) as assistance_received
    from joined
)

select * from final
