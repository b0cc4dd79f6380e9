-- One row per household: its monthly income as policy.md defines it.
-- Recorded income (roster 家庭月总收入, or the rural source's 家庭人均纯收入 / 12 x size)
-- and HR income (wages less the employment-cost deduction, pensions with the
-- 城乡居民 basic pension excluded); the larger of the two where either exists,
-- otherwise unknown (null). Rigid expenditure: medical out-of-pocket of the
-- window / 12, plus schooling (plan §二(八) 就学: the policy's schooling_cost of the 学段 for
-- each living member 在读 in their latest school year, once per member), deducted before
-- comparing per-capita income with the standard. The size is
-- the household's living members; a member who died earns nothing, but the medical costs
-- before the death are still the household's.
with members as (
    select * from member_facts
),

households as (
    select * from households_routed
),

hr as (
    select * from hr_current
),

member_income as (
    select
        m.household_key,
        h.person_id,
        case when h.monthly_wage is null and h.monthly_pension is null then null
        else coalesce(h.monthly_wage, 0) * (1 - $employment_cost_deduction)
            + case h.pension_type
                when '职工基本养老保险' then coalesce(h.monthly_pension, 0)
                when '城乡居民基本养老保险' then greatest(coalesce(h.monthly_pension, 0) - $basic_pension_excluded, 0)
                else 0
            end
        end as income
    from hr as h
    inner join members as m using (person_id)
    where m.alive
),

hr_income as (
    select household_key, sum(income) as hr_income, count(income) as earners
    from member_income
    group by household_key
),

settled as (
    select * from settlements
),

rigid as (
    select m.household_key, sum(s.oop) as oop_window
    from settled as s
    inner join members as m using (person_id)
    group by m.household_key
),

school as (
    select * from schooling
),

-- a member 在读 in two 学段 of one school year (two records) counts the dearer one
member_schooling as (
    select
        household_key,
        person_id,
        max(
            case stage
                when '学前' then $schooling_cost_preschool
                when '小学' then $schooling_cost_primary
                when '初中' then $schooling_cost_junior
                when '高中' then $schooling_cost_senior
                when '中职' then $schooling_cost_secondary_vocational
                when '高职' then $schooling_cost_higher_vocational
                when '本科' then $schooling_cost_undergraduate
                when '研究生' then $schooling_cost_postgraduate
                else 0
            end
        ) as cost
    from school
    where enrolment_status = '在读'
    group by household_key, person_id
),

schooling_costs as (
    select household_key, sum(cost) as schooling_expenditure
    from member_schooling
    group by household_key
),

final as (
    select
        h.household_key,
        h.living_size as size,
        case
            when h.roster_monthly_income is not null then h.roster_monthly_income
            when h.membership = 'rural' and h.rural_income_year is not null
                then h.rural_income_year / 12 * h.living_size
        end as recorded_income,
        hi.hr_income,
        case
            when coalesce(h.urban_rural, case when cast(substr(h.county, 5, 2) as integer) < 21
                then '城市' else '农村' end) = '城市'
                then $dibao_standard_urban
            else $dibao_standard_rural
        end as standard,
        greatest(coalesce(r.oop_window, 0), 0) as oop_window,
        coalesce(sc.schooling_expenditure, 0) as schooling_expenditure
    from households as h
    left join hr_income as hi using (household_key)
    left join rigid as r using (household_key)
    left join schooling_costs as sc using (household_key)
)

select
    *,
    income * 12 as annual_income,
    (income - rigid_expenditure) / nullif(size, 0) as per_capita
from (
    select
        *,
        medical_expenditure + schooling_expenditure as rigid_expenditure
    from (
        select
            *,
            -- larger of recorded and HR income where either exists; unknown otherwise
            case
                when recorded_income is null and hr_income is null then null
                else greatest(coalesce(recorded_income, hr_income), coalesce(hr_income, recorded_income))
            end as income,
            oop_window / $medical_months as medical_expenditure
        from final
    )
)
