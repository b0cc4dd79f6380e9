-- One row per member of household $household_key (member_facts: age on the as-of date, death),
-- with the name linking settled on (persons), a phone from their records (person_contacts:
-- the smallest), their 与户主关系 on the household's register, whether they are its head, and
-- their HR record of the current picture (hr_current: what household_income reads). The head
-- first, then by birth date.
with members as (
    select * from member_facts where household_key = $household_key
),

names as (
    select person_id, name from persons
),

phones as (
    select person_id, min(value) as phone
    from person_contacts
    where kind = 'phone'
    group by person_id
),

relations as (
    select person_id, min(relation) as relation
    from (
        select person_id, relation
        from linked_roster
        where household_no = $household_key and person_id is not null
        union all
        select person_id, relation
        from linked_rural
        where 'XC:' || household_no = $household_key and person_id is not null
    )
    group by person_id
),

head as (
    select head_id from households_routed where household_key = $household_key
),

hr as (
    select * from hr_current
),

final as (
    select
        m.person_id,
        n.name,
        ph.phone,
        m.membership,
        m.birth_date,
        m.sex,
        m.age,
        m.death_date,
        m.alive,
        r.relation,
        coalesce(m.person_id in (select head_id from head), false) as is_head,
        h.employment_status,
        h.monthly_wage,
        h.pension_type,
        h.monthly_pension,
        h.file_name as hr_file,
        h._row as hr_row
    from members as m
    left join names as n using (person_id)
    left join phones as ph using (person_id)
    left join relations as r using (person_id)
    left join hr as h using (person_id)
)

select * from final
order by is_head desc, birth_date, person_id
