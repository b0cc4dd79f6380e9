-- At most one row: household $household_key as the latest scoring saw it (households_routed),
-- its income as household_income computed it, the name of its county and, when it is warned,
-- its row of warnings_current (null columns when it is not).
with households as (
    select * from households_routed
),

income as (
    select * from household_income
),

warned as (
    select * from warnings_current
),

county_names as (
    select distinct county, name from city_counties
),

final as (
    select
        h.household_key,
        h.kind,
        h.membership,
        h.size,
        h.living_size,
        h.head_id,
        h.county,
        c.name as county_name,
        h.township,
        h.village,
        h.category,
        h.urban_rural,
        h.status,
        h.roster_monthly_income,
        h.rural_income_year,
        h.monitoring_class,
        h.green_channel,
        h.exit_months,
        h.exited_long_ago,
        i.size as income_size,
        i.recorded_income,
        i.hr_income,
        i.standard,
        i.oop_window,
        i.income,
        i.medical_expenditure,
        i.schooling_expenditure,
        i.rigid_expenditure,
        i.annual_income,
        i.per_capita,
        w.household_key is not null as warned,
        w.tier,
        w.score,
        w.codes,
        w.code_tiers,
        w.explanation,
        w.no_member_left
    from households as h
    left join income as i using (household_key)
    left join warned as w using (household_key)
    left join county_names as c on c.county = h.county
    where h.household_key = $household_key
)

select * from final
