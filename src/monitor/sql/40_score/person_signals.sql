-- One row per signal raised by one person's records (policy.md, "Warning signals"),
-- with its evidence. Household-level signals are in household_signals.sql; the grid
-- workers' reports (GRID_REPORT) are built in grid_signals.sql and joined here.
-- Windows are bound as start dates ($medical_since, ...), computed from the as-of date.
-- Signals about a living person (illness, disability, schooling, unemployment) are not raised
-- for a member who died; an event (disaster, ticket) counts only up to the death.
with people as (
    select * from member_facts
),

major_illness as (
    select
        person_id, 'MAJOR_ILLNESS' as code, 'orange' as tier,
        cast(null as decimal(14, 2)) as amount, visit_date as event_date,
        source, file_hash, file_name, _row,
        '近' || $major_illness_months || '个月内有重大疾病诊断（' || coalesce(disease, '病种未填') || '，'
            || strftime(visit_date, '%Y-%m-%d') || '）' as detail
    from linked_health
    inner join people using (person_id)
    where alive and diagnosis_class = '重大疾病'
        and visit_date > $major_illness_since and visit_date <= $as_of
),

severe_disability as (
    select
        person_id, 'SEVERE_DISABILITY' as code, 'orange' as tier,
        cast(null as decimal(14, 2)) as amount, issue_date as event_date,
        source, file_hash, file_name, _row,
        '持残疾人证：' || coalesce(disability_category, '') || '残疾' || coalesce(disability_grade, '')
            || '（一、二级或三级智力/精神残疾为重度）' as detail
    from linked_disability
    inner join people using (person_id)
    where alive
        and (disability_grade in ('一级', '二级')
            or (disability_grade = '三级' and disability_category in ('智力', '精神')))
),

unemployed as (
    select
        h.person_id, 'UNEMPLOYED' as code, 'yellow' as tier,
        cast(null as decimal(14, 2)) as amount, h.unemployment_date as event_date,
        h.source, h.file_hash, h.file_name, h._row,
        case when h.employment_status = '失业登记'
                and h.unemployment_date > $unemployment_since
            then '近' || $unemployment_months || '个月内失业登记（' || strftime(h.unemployment_date, '%Y-%m-%d') || '）'
            else '社会保险暂停缴费' end
            || '，年龄' || p.age || '岁' as detail
    from linked_hr as h
    inner join people as p using (person_id)
    where p.alive
        and (
            (h.employment_status = '失业登记' and h.unemployment_date > $unemployment_since
                and h.unemployment_date <= $as_of)
            or h.insurance_status = '暂停缴费'
        )
        and p.age >= $min_working_age
        and p.age < case when p.sex = 'M' then $retirement_age_male else $retirement_age_female end
),

-- the latest school year on record of each living member (schooling.sql)
school as (
    select * from schooling
),

dropout as (
    select
        person_id, 'DROPOUT' as code, 'red' as tier,
        cast(null as decimal(14, 2)) as amount, cast(null as date) as event_date,
        source, file_hash, file_name, _row,
        stage || '学生学籍状态为辍学（' || effective_year || '-' || (effective_year + 1) || '学年'
            || case when year_blank then '，学年未填，按报送时学年计' else '' end || '）' as detail
    from school
    where enrolment_status = '辍学' and stage in ('小学', '初中')
),

edu_cost as (
    select
        person_id, 'EDU_COST' as code, 'yellow' as tier,
        cast(null as decimal(14, 2)) as amount, cast(null as date) as event_date,
        source, file_hash, file_name, _row,
        '在读' || stage || '（' || effective_year || '-' || (effective_year + 1) || '学年'
            || case when year_blank then '，学年未填，按报送时学年计' else '' end || '），有教育支出' as detail
    from school
    where enrolment_status = '在读' and stage in ('高中', '中职', '高职', '本科')
),

housing as (
    select
        person_id, 'HOUSING_UNSAFE' as code,
        case when safety_grade = 'D' then 'red' else 'orange' end as tier,
        cast(null as decimal(14, 2)) as amount, cast(null as date) as event_date,
        source, file_hash, file_name, _row,
        '房屋安全等级为' || safety_grade || '级（危房），未纳入危房改造' as detail
    from linked_housing
    where person_id is not null and safety_grade in ('C', 'D') and coalesce(in_renovation, '') <> '是'
),

disaster as (
    select
        person_id, 'DISASTER' as code,
        case when house_damage in ('全部倒塌', '严重损坏') or casualty in ('死亡', '重伤')
            then 'red' else 'orange' end as tier,
        direct_loss as amount, event_date,
        source, file_hash, file_name, _row,
        strftime(event_date, '%Y-%m-%d') || '遭受' || coalesce(disaster_type, '灾害')
            || case coalesce(house_damage, '')
                when '' then '，房屋损毁情况未填' when '无' then '，房屋无损毁' else '，房屋' || house_damage end
            || case coalesce(casualty, '')
                when '' then '，人员伤亡情况未填' when '无' then '，无人员伤亡' else '，人员' || casualty end
            || case when direct_loss is not null
                then '，直接经济损失 ' || format('{:,.0f}', direct_loss) || ' 元' else '' end as detail
    from linked_emergency
    inner join people using (person_id)
    where event_date > $disaster_since and event_date <= $as_of
        and (death_date is null or event_date <= death_date)
),

hotline as (
    select
        person_id, 'HOTLINE_HELP' as code, 'orange' as tier,
        cast(null as decimal(14, 2)) as amount, call_time as event_date,
        source, file_hash, file_name, _row,
        strftime(call_time, '%Y-%m-%d') || '拨打12345求助（工单 ' || ticket_no || '）' as detail
    from linked_hotline
    inner join people using (person_id)
    where request_type = '求助'
        and call_time > $hotline_since and call_time <= $as_of
        and (death_date is null or call_time <= death_date)
),

-- one per roster member, whatever the number of death records
deceased as (
    select distinct on (h.person_id)
        h.person_id, 'DECEASED' as code, 'review' as tier,
        cast(null as decimal(14, 2)) as amount, h.death_date as event_date,
        h.source, h.file_hash, h.file_name, h._row,
        '卫健记录死亡日期 ' || strftime(h.death_date, '%Y-%m-%d') || '，需减员' as detail
    from linked_health as h
    inner join people as p on p.person_id = h.person_id and p.membership = 'roster'
    where h.death_date is not null and h.death_date <= $as_of
    order by h.person_id, h.death_date, h.file_hash, h._row
),

final as (
    select * from major_illness
    union all select * from severe_disability
    union all select * from unemployed
    union all select * from dropout
    union all select * from edu_cost
    union all select * from housing
    union all select * from disaster
    union all select * from hotline
    union all select * from deceased
    union all select * from grid_signals
)

select * from final
