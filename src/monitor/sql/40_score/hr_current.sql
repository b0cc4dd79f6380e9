-- One row per linked person in the current HR picture (the first of their records
-- when an export holds several, by content hash and row: not by file name, so that renaming
-- a file changes nothing).
with source as (
    select * from linked_hr
),

final as (
    select distinct on (person_id) *
    from source
    where person_id is not null
    order by person_id, file_hash, _row
)

select * from final
