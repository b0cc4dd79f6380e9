-- One row per household member: birth date, sex and age from the ID (age in whole years
-- completed on the as-of date: born 1990-12-15 is 35 on 2026-11-28), and the 死亡日期 of a
-- health death record on or before the as-of date (null: alive as far as the exports know).
with members as (
    select * from household_members
),

deaths as (
    select person_id, min(death_date) as death_date
    from linked_health
    where person_id is not null and death_date is not null and death_date <= $as_of
    group by person_id
),

born as (
    select
        m.household_key,
        m.person_id,
        m.membership,
        cast(substr(m.person_id, 7, 4) || '-' || substr(m.person_id, 11, 2) || '-'
            || substr(m.person_id, 13, 2) as date) as birth_date,
        case when cast(substr(m.person_id, 17, 1) as integer) % 2 = 1 then 'M' else 'F' end as sex,
        d.death_date
    from members as m
    left join deaths as d using (person_id)
),

final as (
    select
        household_key,
        person_id,
        membership,
        birth_date,
        sex,
        year(cast($as_of as date)) - year(birth_date)
            - case when strftime(cast($as_of as date), '%m%d') < strftime(birth_date, '%m%d')
                then 1 else 0 end as age,
        death_date,
        death_date is null as alive
    from born
)

select * from final
