-- One row per (county, sex, age band) of the living members of the monitored population
-- (roster and rural households, less those that left assistance longer than post_exit_months
-- ago): how many there are, how many belong to a warned household, and how many carry a
-- signal of the warning (warnings_current.member_ids); and the warned members of households
-- outside it (主动发现) in the same group. Age bands from the policy: under $min_working_age
-- (1), $min_working_age to below $green_channel_age (2), $green_channel_age and over (3).
-- Counts only. By county code (outside the city: 市外, last), sex, band.
with households as (
    select household_key, county, membership, exited_long_ago from households_routed
),

members as (
    select household_key, person_id, sex, age from member_facts where alive
),

warned as (
    select household_key, string_split(coalesce(member_ids, ''), ';') as ids
    from warnings_current
),

county_names as (
    select distinct county, name from city_counties
),

people as (
    select
        coalesce(c.name, '市外') as county,
        c.county as county_code,
        m.sex,
        case
            when m.age < $min_working_age then 1
            when m.age < $green_channel_age then 2
            else 3
        end as age_band,
        h.membership in ('roster', 'rural') and not h.exited_long_ago as monitored,
        w.household_key is not null as in_warned,
        coalesce(list_contains(w.ids, m.person_id), false) as carrier
    from members as m
    inner join households as h using (household_key)
    left join warned as w using (household_key)
    left join county_names as c on c.county = h.county
),

final as (
    select
        county,
        min(county_code) as county_code,
        sex,
        age_band,
        count(*) filter (where monitored) as population,
        count(*) filter (where monitored and in_warned) as in_warned,
        count(*) filter (where monitored and carrier) as carriers,
        count(*) filter (where not monitored and carrier) as proactive
    from people
    group by county, sex, age_band
)

select * from final
where population > 0 or proactive > 0
order by county_code nulls last, county, sex, age_band
