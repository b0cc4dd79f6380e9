-- One row per member of each household of audit_households (the supervision sample's, a
-- frame the caller registers): the name and phone the records give (people; the workbook
-- masks ID and phone), the members the warning is about first, then by ID.
with sampled as (
    select distinct household_key from audit_households
),

warned as (
    select household_key, string_split(coalesce(member_ids, ''), ';') as warned_ids
    from warnings_current
),

final as (
    select
        m.household_key,
        m.person_id,
        p.name,
        p.phone,
        coalesce(list_contains(w.warned_ids, m.person_id), false) as warned
    from household_members as m
    inner join sampled as s using (household_key)
    left join warned as w using (household_key)
    left join people as p using (person_id)
)

select * from final
order by household_key, warned desc, person_id
