-- One row per 低保 household (状态 在保) whose 月保障金额 may fall short of its 补差
-- (BENEFIT_CHECK, plan §二(二): 月人均补助水平; 足额发放): 补差 = the standard × its living members −
-- its household income, both as household_income computed them (the larger of recorded and
-- HR income, before the rigid-expenditure deduction). It fires when 补差 is above 0 and the
-- 月保障金额 of the head's roster row is blank, 0, or below 补差 by more than
-- $benefit_tolerance × 补差 (in cents). No rule fires on an unknown income. The amount is the
-- shortfall (补差 − 月保障金额, a blank counting 0); the evidence is the head's roster row.
-- Review: the roster may be right (a 分档 amount, a recent reassessment).
with households as (
    select *
    from households_routed
    where membership = 'roster' and category = '低保' and status = '在保'
),

income as (
    select * from household_income
),

head_rows as (
    select distinct on (household_no, person_id)
        household_no as household_key, person_id, source, file_hash, file_name, _row
    from linked_roster
    where person_id is not null and household_no is not null
    order by household_no, person_id, case when relation = '本人' then 0 else 1 end, file_hash, _row
),

gaps as (
    select
        h.household_key,
        h.head_id,
        h.monthly_benefit as benefit,
        i.standard,
        i.size,
        i.income,
        i.standard * i.size - i.income as gap
    from households as h
    inner join income as i using (household_key)
    where i.income is not null
),

short as (
    select *, gap - coalesce(benefit, 0) as shortfall
    from gaps
    where gap > 0
        and (
            benefit is null
            or benefit = 0
            or round(gap - benefit, 2) > round($benefit_tolerance * gap, 2)
        )
),

final as (
    select
        s.household_key,
        s.head_id as person_id,
        'BENEFIT_CHECK' as code,
        'review' as tier,
        cast(s.shortfall as decimal(14, 2)) as amount,
        cast(null as date) as event_date,
        r.source,
        r.file_hash,
        r.file_name,
        r._row,
        case
            when s.benefit is null then '月保障金额未填'
            when s.benefit = 0 then '月保障金额为 0 元'
            else '月保障金额 ' || format('{:,.0f}', s.benefit) || ' 元'
        end
            || '，应补差额 ' || format('{:,.0f}', s.gap) || ' 元（低保标准 '
            || format('{:,.0f}', s.standard) || ' 元 × ' || s.size || ' 人 − 家庭月收入 '
            || format('{:,.0f}', s.income) || ' 元）'
            || case when s.benefit > 0
                then '，少 ' || format('{:,.0f}', s.shortfall) || ' 元，超过补差额的 '
                    || cast(round(100 * $benefit_tolerance) as integer) || '%'
                else '' end
            || '，需核查是否足额发放' as detail
    from short as s
    left join head_rows as r on r.household_key = s.household_key and r.person_id = s.head_id
)

select * from final
