-- One row per (person, phone or township, source) seen on the person's ID-bearing
-- records: the evidence a record without a usable ID is compared with.
with linked as (
    select person_id, phone_norm, township, source
    from records_current
    where quarantine_reason is null and id_status in ('valid', 'repaired') and person_id is not null
),

-- The roster's 联系电话 is the household's: every member can be reached (and can
-- call) from it.
roster_members as (
    select r.household_no, r.person_id, r.phone_norm
    from clean_roster as r
    inner join current_files as f on f.source = 'roster' and f.file_hash = r.file_hash
    where r.quarantine_reason is null and r.id_status in ('valid', 'repaired')
        and r.household_no is not null
),

household_phones as (
    select distinct m.person_id, h.phone_norm as value
    from roster_members as m
    inner join roster_members as h using (household_no)
    where h.phone_norm is not null
),

final as (
    select distinct person_id, 'phone' as kind, phone_norm as value, source
    from linked where phone_norm is not null
    union
    select distinct person_id, 'township' as kind, township as value, source
    from linked where township is not null
    union
    select person_id, 'phone' as kind, value, 'roster' as source
    from household_phones
)

select * from final
