-- One row per signal raised by one person's records (policy.md, "Warning signals"),
-- with its evidence. Household-level signals are in household_signals.sql.
-- Windows are bound as start dates ($medical_since, ...), computed from the as-of date.
with people as (
    select
        person_id,
        cast(substr(person_id, 7, 4) || '-' || substr(person_id, 11, 2) || '-'
            || substr(person_id, 13, 2) as date) as birth_date,
        case when cast(substr(person_id, 17, 1) as integer) % 2 = 1 then 'M' else 'F' end as sex
    from household_members
),

major_illness as (
    select
        person_id, 'MAJOR_ILLNESS' as code, 'orange' as tier,
        cast(null as decimal(14, 2)) as amount, visit_date as event_date,
        source, file_name, _row,
        '近' || $major_illness_months || '个月内有重大疾病诊断（' || coalesce(disease, '病种未填') || '，'
            || strftime(visit_date, '%Y-%m-%d') || '）' as detail
    from linked_health
    where person_id is not null and diagnosis_class = '重大疾病'
        and visit_date > $major_illness_since and visit_date <= $as_of
),

severe_disability as (
    select
        person_id, 'SEVERE_DISABILITY' as code, 'orange' as tier,
        cast(null as decimal(14, 2)) as amount, issue_date as event_date,
        source, file_name, _row,
        '持残疾人证：' || coalesce(disability_category, '') || '残疾' || coalesce(disability_grade, '')
            || '（一、二级或三级智力/精神残疾为重度）' as detail
    from linked_disability
    where person_id is not null
        and (disability_grade in ('一级', '二级')
            or (disability_grade = '三级' and disability_category in ('智力', '精神')))
),

unemployed as (
    select
        h.person_id, 'UNEMPLOYED' as code, 'yellow' as tier,
        cast(null as decimal(14, 2)) as amount, h.unemployment_date as event_date,
        h.source, h.file_name, h._row,
        case when h.employment_status = '失业登记'
                and h.unemployment_date > $unemployment_since
            then '近' || $unemployment_months || '个月内失业登记（' || strftime(h.unemployment_date, '%Y-%m-%d') || '）'
            else '社会保险暂停缴费' end
            || '，年龄' || date_diff('year', p.birth_date, cast($as_of as date)) || '岁' as detail
    from linked_hr as h
    inner join people as p using (person_id)
    where (
            (h.employment_status = '失业登记' and h.unemployment_date > $unemployment_since
                and h.unemployment_date <= $as_of)
            or h.insurance_status = '暂停缴费'
        )
        and p.birth_date <= cast($as_of as date) - to_years(cast($min_working_age as integer))
        and p.birth_date > cast($as_of as date)
            - to_years(cast(case when p.sex = 'M' then $retire_male else $retire_female end as integer))
),

latest_school_year as (
    select person_id, max(school_year) as school_year
    from linked_education
    where person_id is not null
    group by person_id
),

school as (
    select e.*
    from linked_education as e
    inner join latest_school_year as l using (person_id, school_year)
),

dropout as (
    select
        person_id, 'DROPOUT' as code, 'red' as tier,
        cast(null as decimal(14, 2)) as amount, cast(null as date) as event_date,
        source, file_name, _row,
        stage || '学生学籍状态为辍学（' || school_year || '-' || (school_year + 1) || '学年）' as detail
    from school
    where enrolment_status = '辍学' and stage in ('小学', '初中')
),

edu_cost as (
    select
        person_id, 'EDU_COST' as code, 'yellow' as tier,
        cast(null as decimal(14, 2)) as amount, cast(null as date) as event_date,
        source, file_name, _row,
        '在读' || stage || '（' || school_year || '-' || (school_year + 1) || '学年），有教育支出' as detail
    from school
    where enrolment_status = '在读' and stage in ('高中', '中职', '高职', '本科')
),

housing as (
    select
        person_id, 'HOUSING_UNSAFE' as code,
        case when safety_grade = 'D' then 'red' else 'orange' end as tier,
        cast(null as decimal(14, 2)) as amount, cast(null as date) as event_date,
        source, file_name, _row,
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
        source, file_name, _row,
        strftime(event_date, '%Y-%m-%d') || '遭受' || coalesce(disaster_type, '灾害')
            || '，房屋' || coalesce(house_damage, '损毁情况未填')
            || '，人员伤亡：' || coalesce(casualty, '未填')
            || case when direct_loss is not null
                then '，直接经济损失 ' || format('{:,.0f}', direct_loss) || ' 元' else '' end as detail
    from linked_emergency
    where person_id is not null and event_date > $disaster_since and event_date <= $as_of
),

rural_risk as (
    select
        person_id, 'RURAL_RISK' as code,
        case when monitoring_class = '突发严重困难户' then 'red' else 'orange' end as tier,
        cast(null as decimal(14, 2)) as amount, cast(null as date) as event_date,
        source, file_name, _row,
        '防返贫监测对象（' || monitoring_class || '，' || coalesce(risk_type, '风险类型未填')
            || '），风险尚未消除' as detail
    from linked_rural
    where person_id is not null and monitoring_class is not null and monitoring_class <> '无'
        and risk_cleared = '否'
),

hotline as (
    select
        person_id, 'HOTLINE_HELP' as code, 'orange' as tier,
        cast(null as decimal(14, 2)) as amount, call_time as event_date,
        source, file_name, _row,
        strftime(call_time, '%Y-%m-%d') || '拨打12345求助（工单 ' || ticket_no || '）' as detail
    from linked_hotline
    where person_id is not null and request_type = '求助'
        and call_time > $hotline_since and call_time <= $as_of
),

deceased as (
    select
        h.person_id, 'DECEASED' as code, 'review' as tier,
        cast(null as decimal(14, 2)) as amount, h.death_date as event_date,
        h.source, h.file_name, h._row,
        '卫健记录死亡日期 ' || strftime(h.death_date, '%Y-%m-%d') || '，需减员' as detail
    from linked_health as h
    inner join household_members as m on m.person_id = h.person_id and m.membership = 'roster'
    where h.death_date is not null and h.death_date <= $as_of
),

final as (
    select * from major_illness
    union all select * from severe_disability
    union all select * from unemployed
    union all select * from dropout
    union all select * from edu_cost
    union all select * from housing
    union all select * from disaster
    union all select * from rural_risk
    union all select * from hotline
    union all select * from deceased
)

select * from final
