-- One row per person in a household: roster members by 家庭编号; rural members by
-- 户编号, mapped to the roster household when one of them is on the roster; anyone
-- else linked to a record is a household of one with a key derived from the ID
-- (the same person gets the same key in every run).
with roster as (
    select distinct r.household_no, r.person_id
    from clean_roster as r
    inner join current_files as f on f.source = 'roster' and f.file_hash = r.file_hash
    where r.person_id is not null and r.household_no is not null
),

roster_key as (
    select person_id, min(household_no) as household_key from roster group by person_id
),

rural as (
    select distinct r.household_no, r.person_id
    from clean_rural as r
    inner join current_files as f on f.source = 'rural' and f.file_hash = r.file_hash
    where r.person_id is not null and r.household_no is not null
),

rural_to_roster as (
    select ru.household_no, min(rk.household_key) as roster_household
    from rural as ru
    inner join roster_key as rk using (person_id)
    group by ru.household_no
),

rural_key as (
    select
        ru.person_id,
        min(coalesce(rr.roster_household, 'XC:' || ru.household_no)) as household_key
    from rural as ru
    left join rural_to_roster as rr using (household_no)
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
