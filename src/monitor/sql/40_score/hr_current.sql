-- One row per linked person in the current HR picture (the first of their records
-- when an export holds several, by content hash and row: not by file name, so that renaming
-- a file changes nothing).
-- The first record is chosen on the narrow key alone and the wide row joined back: a
-- DISTINCT ON ... ORDER BY over every column sorted whole rows (1M people: 8 s against 2 s).
with source as (
    select * from linked_hr
),

ranked as (
    select
        person_id,
        file_hash,
        _row,
        row_number() over (partition by person_id order by file_hash, _row) as n
    from source
    where person_id is not null
),

final as (
    select s.*
    from source as s
    inner join ranked as f
        on f.n = 1 and f.person_id = s.person_id and f.file_hash = s.file_hash and f._row = s._row
)

select * from final
