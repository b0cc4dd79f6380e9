-- One row per (person, name as written) on the records with a usable ID: how
-- often, and whether a register of households (the roster, the rural source: the
-- contracts' household_register) writes it so. persons.sql picks each person's name from
-- it; name disagreements are found in it.
with linked as (
    select r.person_id, r.name, r.name_key, s.household_register
    from records_current as r
    inner join source_catalog as s on s.source = r.source
    where
        r.quarantine_reason is null
        and r.id_status in ('valid', 'repaired')
        and r.person_id is not null
),

final as (
    select
        person_id,
        name,
        name_key,
        count(*) as n,
        max(case when household_register then 1 else 0 end) as authoritative
    from linked
    group by person_id, name, name_key
)

select * from final
