-- One row per person in a household. A person on the roster belongs to their roster
-- household (家庭编号), whatever other lists they are on; a rural-source member on no roster
-- household belongs to the rural household (XC: + 户编号), formed only from such members;
-- anyone else linked to a record is a household of one with a key derived from the ID (the
-- same person gets the same key in every run).
with roster as (
    select distinct household_no, person_id
    from linked_roster
    where person_id is not null and household_no is not null
),

roster_key as (
    select person_id, min(household_no) as household_key from roster group by person_id
),

rural as (
    select distinct household_no, person_id
    from linked_rural
    where person_id is not null and household_no is not null
),

rural_key as (
    select ru.person_id, 'XC:' || min(ru.household_no) as household_key
    from rural as ru
    where ru.person_id not in (select person_id from roster_key)
    group by ru.person_id
),

linked as (
    select distinct person_id from record_links where person_id is not null
),

final as (
    select
        l.person_id,
        coalesce(rk.household_key, ru.household_key, 'GR:' || substr(sha256(l.person_id), 1, 16))
            as household_key,
        case
            when rk.household_key is not null then 'roster'
            when ru.household_key is not null then 'rural'
            else 'other'
        end as membership
    from linked as l
    left join roster_key as rk using (person_id)
    left join rural_key as ru using (person_id)
)

select * from final
