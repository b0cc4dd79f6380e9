-- One row per household: kind, routing and the roster facts read from the head's row
-- (与户主关系 本人). Households come from their members, plus rural households none of whose
-- rows could be linked to a person (their own signals still need a household).
-- A household's size counts its roster (or rural) rows whose person could not be linked too.
-- Routing follows residence: the roster's or rural source's 乡镇, else the township the
-- members' own records give, else 待分派. A township's county is the county it belongs to in
-- the city's reference list (city_townships); a township missing from it goes to the county
-- most of its records' IDs carry; a household without a township goes to its members' 医保
-- 参保地, else to the head's ID county. ID codes no longer in force map to their successor
-- (city_counties); a code of another city stays as it is (outside the city).
with members as (
    select * from household_members
),

roster_rows as (
    select
        r.*,
        row_number() over (
            partition by r.household_no
            order by case when r.relation = '本人' then 0 else 1 end, r.person_id
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
        monthly_benefit,
        township,
        village
    from roster_rows
    where head_rank = 1
),

-- Rural rows count for the rural household only where their person belongs to it (is on no
-- roster household, and in no other rural household of a smaller number).
rural_rows as (
    select
        r.*,
        'XC:' || r.household_no as household_key,
        row_number() over (
            partition by r.household_no
            order by case when r.relation = '本人' then 0 else 1 end, r.person_id nulls last, r.file_hash, r._row
        ) as head_rank
    from linked_rural as r
    left join members as m on m.person_id = r.person_id
    -- a person in two rural households belongs to one of them (household_members)
    where r.household_no is not null
        and (r.person_id is null or m.household_key = 'XC:' || r.household_no)
),

rural_head as (
    select
        household_key,
        person_id as head_id,
        per_capita_income_year,
        monitoring_class,
        township,
        village
    from rural_rows
    where head_rank = 1
),

-- rows with nobody linked (a blank or unmatched ID): members of the household all the same
unlinked as (
    select household_no as household_key, count(*) as n
    from linked_roster
    where person_id is null and household_no is not null
    group by household_no
    union all
    select household_key, count(*) as n from rural_rows where person_id is null group by household_key
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

-- The county an ID was issued in, as the code in force (successor of a former code).
id_county as (
    select code, county from city_counties
),

-- Townships the reference list does not know: the county most of their records' IDs carry.
township_counties as (
    select r.township, coalesce(c.county, substr(r.person_id, 1, 6)) as county, count(*) as n
    from linked_records as r
    left join id_county as c on c.code = substr(r.person_id, 1, 6)
    where r.person_id is not null and r.township is not null
        and r.township not in (select township from city_townships)
    group by all
),

township_county as (
    select township, county from city_townships
    union all
    select township, county
    from (
        select *, row_number() over (partition by township order by n desc, county) as rk
        from township_counties
    )
    where rk = 1
),

-- 医保 参保地 (a 6-digit code or a county's name) of the members' latest settlement.
insured_place as (
    select
        m.household_key,
        first(coalesce(c.county, n.county) order by s.settlement_date desc, s.file_hash, s._row)
            as county
    from linked_medical_insurance as s
    inner join members as m using (person_id)
    left join id_county as c on c.code = s.insured_place
    left join (select distinct county, name from city_counties) as n on n.name = s.insured_place
    where coalesce(c.county, n.county) is not null
    group by m.household_key
),

sizes as (
    select
        household_key,
        count(*) as linked_members,
        min(person_id) as first_member,
        max(membership) filter (where membership = 'roster') as on_roster,
        max(membership) filter (where membership = 'rural') as in_rural
    from members
    group by household_key
),

all_households as (
    select household_key from sizes
    union
    select household_key from rural_head
),

routed as (
    select
        a.household_key,
        s.on_roster,
        coalesce(s.in_rural, case when ru.household_key is not null then 'rural' end) as in_rural,
        coalesce(s.linked_members, 0) + coalesce(un.n, 0) as size,
        coalesce(rh.head_id, ru.head_id, s.first_member) as head_id,
        coalesce(rh.township, ru.township, pt.township) as township,
        coalesce(rh.village, ru.village) as village,
        rh.category,
        coalesce(rh.urban_rural, case when ru.household_key is not null then '农村' end) as urban_rural,
        rh.status,
        rh.monthly_income as roster_monthly_income,
        rh.monthly_benefit,
        ru.per_capita_income_year as rural_income_year,
        ru.monitoring_class,
        ip.county as insured_county
    from all_households as a
    left join sizes as s using (household_key)
    left join roster_head as rh using (household_key)
    left join rural_head as ru using (household_key)
    left join unlinked as un using (household_key)
    left join person_township as pt on pt.person_id = s.first_member
    left join insured_place as ip using (household_key)
),

final as (
    select
        r.household_key,
        case when r.on_roster is not null then '在册对象' else '主动发现' end as kind,
        case
            when r.on_roster is not null then 'roster'
            when r.in_rural is not null then 'rural'
            else 'other'
        end as membership,
        r.size,
        r.head_id,
        coalesce(
            tc.county,
            r.insured_county,
            ic.county,
            substr(r.head_id, 1, 6)
        ) as county,
        coalesce(r.township, '待分派') as township,
        r.township is null or r.township in (select township from city_townships)
            as township_in_reference,
        r.village,
        r.category,
        r.urban_rural,
        r.status,
        r.roster_monthly_income,
        r.monthly_benefit,
        r.rural_income_year,
        r.monitoring_class
    from routed as r
    left join township_county as tc on tc.township = r.township
    left join id_county as ic on ic.code = substr(r.head_id, 1, 6)
)

select * from final
