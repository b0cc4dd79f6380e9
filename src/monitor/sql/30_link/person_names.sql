-- One row per (person, name as written) on the records with a usable ID: how
-- often, and whether the roster or the rural source writes it so. persons.sql
-- picks each person's name from it; name disagreements are found in it.
with linked as (
    select source, person_id, name, name_key
    from records_current
    where quarantine_reason is null and id_status in ('valid', 'repaired') and person_id is not null
),

final as (
    select
        person_id,
        name,
        name_key,
        count(*) as n,
        max(case when source in ('roster', 'rural') then 1 else 0 end) as authoritative
    from linked
    group by person_id, name, name_key
)

select * from final
