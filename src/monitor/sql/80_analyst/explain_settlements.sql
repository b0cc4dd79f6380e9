-- One row per medical settlement of the window (settlements: out-of-pocket as policy.md
-- defines it, a record exported twice once) of a member of household $household_key: what
-- household_income sums into the rigid expenditure. By date, file and row.
with members as (
    select person_id from household_members where household_key = $household_key
),

settled as (
    select * from settlements
),

final as (
    select
        s.person_id,
        s.source,
        s.file_name,
        s._row,
        s.settlement_date,
        s.care_type,
        s.oop
    from settled as s
    where s.person_id in (select person_id from members)
)

select * from final
order by settlement_date, file_name, _row
