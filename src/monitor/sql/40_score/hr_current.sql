-- One row per linked person in the current HR picture (the first of their records
-- when an export holds several, by content hash and row: not by file name, so that renaming
-- a file changes nothing).
-- The first record is chosen on the narrow key alone and the wide row joined back: a
-- DISTINCT ON ... ORDER BY over every column sorted whole rows (1M people: 8 s against 2 s).
with source as (
    select * from linked_hr
),

firsts as (
    select person_id, min({'file_hash': file_hash, '_row': _row}) as first
    from source
    where person_id is not null
    group by person_id
),

final as (
    select s.*
    from source as s
    inner join firsts as f
        on f.person_id = s.person_id and f.first.file_hash = s.file_hash and f.first._row = s._row
)

select * from final
