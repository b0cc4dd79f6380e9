-- One row per income signal of a household (policy.md: INCOME_BELOW_STANDARD,
-- INCOME_EDGE, INCOME_ABOVE_STANDARD, INCOME_EXIT, INCOME_DROP). No income rule
-- fires on an unknown income. "On 低保/特困" is a roster 低保/特困 household that has not left
-- (状态 在保 or 渐退): a household that left 低保 and is below the standard again is a case.
with households as (
    select * from households_routed
),

income as (
    select * from household_income
),

known as (
    select h.*, i.income, i.recorded_income, i.hr_income, i.rigid_expenditure, i.standard,
        i.medical_expenditure, i.schooling_expenditure, i.per_capita, i.size as n_members
    from households as h
    inner join income as i using (household_key)
    where i.income is not null
),

explained as (
    select
        *,
        '家庭月收入 ' || format('{:,.0f}', income) || ' 元（'
            || case when hr_income is not null and (recorded_income is null or hr_income > recorded_income)
                then '人社工资、养老金折算' else '登记收入' end
            || '）'
            || case
                when schooling_expenditure > 0
                    then '，扣除刚性支出 ' || format('{:,.0f}', rigid_expenditure) || ' 元/月（医疗 '
                        || format('{:,.0f}', medical_expenditure) || ' 元、就学 '
                        || format('{:,.0f}', schooling_expenditure) || ' 元）'
                when rigid_expenditure > 0
                    then '，扣除医疗刚性支出 ' || format('{:,.0f}', rigid_expenditure) || ' 元/月'
                else ''
            end
            || '，' || n_members || ' 人，'
            || case when per_capita < 0 then '医疗支出超过收入，人均 0 元/月'
                else '人均 ' || format('{:,.0f}', per_capita) || ' 元/月' end as income_text
    from known
),

below as (
    select household_key, head_id as person_id, 'INCOME_BELOW_STANDARD' as code, 'orange' as tier,
        cast(per_capita as decimal(14, 2)) as amount, cast(null as date) as event_date,
        case when membership = 'roster' then 'roster' else 'rural' end as source,
        cast(null as varchar) as file_hash, cast(null as varchar) as file_name,
        cast(null as bigint) as _row,
        income_text || '，低于低保标准 ' || format('{:,.0f}', standard) || ' 元' as detail
    from explained
    where membership in ('roster', 'rural')
        and not (coalesce(category, '') in ('低保', '特困') and coalesce(status, '在保') <> '退出')
        and per_capita < standard
),

edge as (
    select household_key, head_id, 'INCOME_EDGE', 'yellow',
        cast(per_capita as decimal(14, 2)), cast(null as date),
        case when membership = 'roster' then 'roster' else 'rural' end,
        cast(null as varchar), cast(null as varchar), cast(null as bigint),
        income_text || '，在低保标准 ' || format('{:,.0f}', standard) || ' 元的 1 至 '
            || $edge_multiplier || ' 倍之间（低保边缘）'
    from explained
    where (membership = 'rural' or category in ('临时救助', '其他低收入'))
        and per_capita >= standard and per_capita < $edge_multiplier * standard
),

above as (
    select household_key, head_id, 'INCOME_ABOVE_STANDARD', 'review',
        cast(per_capita as decimal(14, 2)), cast(null as date), 'roster',
        cast(null as varchar), cast(null as varchar), cast(null as bigint),
        income_text || '，超过低保标准 ' || format('{:,.0f}', standard) || ' 元、低于 '
            || $gradual_exit_multiplier || ' 倍，按规定渐退 ' || exit_months || ' 个月'
    from explained
    where category = '低保' and status = '在保'
        and per_capita > standard and per_capita < $gradual_exit_multiplier * standard
),

exit_ as (
    select household_key, head_id, 'INCOME_EXIT', 'review',
        cast(per_capita as decimal(14, 2)), cast(null as date), 'roster',
        cast(null as varchar), cast(null as varchar), cast(null as bigint),
        income_text || '，达到低保标准 ' || format('{:,.0f}', standard) || ' 元的 '
            || $gradual_exit_multiplier || ' 倍以上，应退出'
    from explained
    where category = '低保' and status in ('在保', '渐退')
        and per_capita >= $gradual_exit_multiplier * standard
),

-- HR pictures: the current one and the latest earlier one that differs from it.
hr_runs as (
    select run_id, string_agg(file_hash, ',' order by file_hash) as files
    from pictures
    where source = 'hr' and run_id <= $run_id
    group by run_id
),

hr_current_run as (
    select run_id, files from hr_runs order by run_id desc limit 1
),

hr_previous_run as (
    select r.run_id
    from hr_runs as r, hr_current_run as c
    where r.run_id < c.run_id and r.files <> c.files
    order by r.run_id desc
    limit 1
),

previous_hr as (
    select distinct on (h.person_id) h.person_id, h.monthly_wage, h.employment_status
    from clean_hr as h
    inner join pictures as p on p.source = 'hr' and p.file_hash = h.file_hash
    inner join hr_previous_run as r on r.run_id = p.run_id
    where h.person_id is not null and h.id_status in ('valid', 'repaired')
    order by h.person_id, h.file_hash, h._row  -- as hr_current chooses
),

current_hr as (
    select * from hr_current
),

drop_ as (
    select m.household_key, c.person_id, 'INCOME_DROP', 'yellow',
        cast(c.monthly_wage as decimal(14, 2)), cast(null as date), 'hr', c.file_hash, c.file_name, c._row,
        case
            when p.employment_status = '就业' and c.employment_status in ('失业登记', '未就业')
                then '就业状态由就业变为' || c.employment_status
            else '月工资由 ' || format('{:,.0f}', p.monthly_wage) || ' 元降至 '
                || format('{:,.0f}', coalesce(c.monthly_wage, 0)) || ' 元（降幅 '
                || cast(round(100 * (1 - coalesce(c.monthly_wage, 0) / p.monthly_wage)) as integer)
                || '%）'
        end
    from current_hr as c
    inner join previous_hr as p using (person_id)
    inner join member_facts as m using (person_id)
    where m.alive and ((p.employment_status = '就业' and c.employment_status in ('失业登记', '未就业'))
        or (p.monthly_wage > 0 and c.monthly_wage is not null
            and c.monthly_wage <= p.monthly_wage * (1 - $wage_drop_share)))
),

final as (
    select * from below
    union all select * from edge
    union all select * from above
    union all select * from exit_
    union all select * from drop_
)

select * from final
