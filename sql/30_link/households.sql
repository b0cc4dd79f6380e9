-- One row per household with at least one linked member: kind, routing and the
-- roster facts read from the head's row (与户主关系 本人).
with members as (
    select * from household_members
),

roster_rows as (
    select
        r.*,
        row_number() over (
            partition by r.household_no
            order by case when r.relation in ('本人(户主)', '本人（户主）', '本人', '户主') then 0 else 1 end,
                r.person_id
        ) as head_rank
    from linked_roster as r
    where r.person_id is not null
),

roster_head as (
    select
        household_no as household_key,
        person_id as head_id,
        category,
        urban_rural,
        status,
        monthly_income,
        township,
        village
    from roster_rows
    where head_rank = 1
),

rural_rows as (
    select
        r.*,
        row_number() over (
            partition by r.household_no
            order by case when r.relation in ('本人(户主)', '本人（户主）', '本人', '户主') then 0 else 1 end,
                r.person_id
        ) as head_rank
    from linked_rural as r
    where r.person_id is not null
),

rural_head as (
    select
        'XC:' || household_no as household_key,
        household_no,
        person_id as head_id,
        per_capita_income_year,
        monitoring_class,
        township,
        village
    from rural_rows
    where head_rank = 1
),

-- Where a person's own records say which township they live in (most frequent, then by name).
record_townships as (
    select person_id, township, count(*) as n
    from linked_records
    where person_id is not null and township is not null
    group by person_id, township
),

person_township as (
    select person_id, township
    from (
        select
            person_id,
            township,
            row_number() over (partition by person_id order by n desc, township) as rk
        from record_townships
    )
    where rk = 1
),

-- The county: an ID carries the code in force when it was issued, so an elder's
-- may be a former code. Use the members' current codes; else the county most
-- persons of the household's township carry; else the head's ID as it is.
member_counties as (
    select m.household_key, substr(m.person_id, 1, 6) as county, count(*) as n
    from members as m
    where substr(m.person_id, 1, 6) in (select code from current_counties)
    group by m.household_key, substr(m.person_id, 1, 6)
),

household_county as (
    select household_key, county
    from (
        select *, row_number() over (partition by household_key order by n desc, county) as rk
        from member_counties
    )
    where rk = 1
),

township_counties as (
    select township, substr(person_id, 1, 6) as county, count(*) as n
    from linked_records
    where person_id is not null and township is not null
        and substr(person_id, 1, 6) in (select code from current_counties)
    group by township, substr(person_id, 1, 6)
),

township_county as (
    select township, county
    from (
        select *, row_number() over (partition by township order by n desc, county) as rk
        from township_counties
    )
    where rk = 1
),

sizes as (
    select
        household_key,
        count(*) as size,
        min(person_id) as first_member,
        max(membership) filter (where membership = 'roster') as on_roster,
        max(membership) filter (where membership = 'rural') as in_rural
    from members
    group by household_key
),

final as (
    select
        s.household_key,
        case when s.on_roster is not null then '在册对象' else '主动发现' end as kind,
        case
            when s.on_roster is not null then 'roster'
            when s.in_rural is not null then 'rural'
            else 'other'
        end as membership,
        s.size,
        coalesce(rh.head_id, ru.head_id, s.first_member) as head_id,
        coalesce(
            hc.county,
            tc.county,
            substr(coalesce(rh.head_id, ru.head_id, s.first_member), 1, 6)
        ) as county,
        coalesce(rh.township, ru.township, pt.township, '待分派') as township,
        coalesce(rh.village, ru.village) as village,
        rh.category,
        coalesce(rh.urban_rural, case when ru.household_key is not null then '农村' end) as urban_rural,
        rh.status,
        rh.monthly_income as roster_monthly_income,
        ru.per_capita_income_year as rural_income_year,
        ru.monitoring_class,
        -- recorded income only, for now; HR income joins with the policy engine (issue 5)
        12 * coalesce(rh.monthly_income, ru.per_capita_income_year / 12 * s.size) as annual_income
    from sizes as s
    left join roster_head as rh on rh.household_key = s.household_key
    left join rural_head as ru on ru.household_key = s.household_key
    left join person_township as pt on pt.person_id = s.first_member
    left join household_county as hc on hc.household_key = s.household_key
    left join township_county as tc on tc.township = coalesce(rh.township, ru.township, pt.township)
)

select * from final
