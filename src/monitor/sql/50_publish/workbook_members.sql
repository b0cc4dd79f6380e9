-- One row per member of a warned household (the caseworkers' workbooks): the name and phone
-- the records give (people), whether the warning is about this member, and whether the
-- member is known to have died.
-- By household, the members the warning is about first, then by ID.
with warned as (
    select household_key, string_split(coalesce(member_ids, ''), ';') as warned_ids
    from warnings_current
),

final as (
    select
        m.household_key,
        m.person_id,
        p.name,
        p.phone,
        list_contains(w.warned_ids, m.person_id) as warned,
        coalesce(not f.alive, false) as deceased
    from household_members as m
    inner join warned as w using (household_key)
    left join people as p using (person_id)
    left join member_facts as f using (person_id)
)

select * from final
order by household_key, warned desc, person_id
