-- materialized: view
-- One row per version that counts (record_versions) of a current record of source
-- {{ source.source }}: its clean columns, the person linking attached it to (which replaces
-- the clean layer's person_id: linking decides who a record is about), how, and the file's
-- name. A record delivered twice, in the same file, a re-export or a re-sent file, is
-- scored once. Built once per source, as linked_<source>.
select
    c.* exclude (person_id),
    rl.person_id,
    rl.method,
    '{{ source.source }}' as source,
    fl.file_name
from clean_{{ source.source }} as c
inner join current_files as f on f.source = '{{ source.source }}' and f.file_hash = c.file_hash
inner join record_links as rl
    on rl.source = '{{ source.source }}' and rl.file_hash = c.file_hash and rl._row = c._row
inner join record_versions as v
    on v.source = '{{ source.source }}' and v.file_hash = c.file_hash and v._row = c._row and v.counts
inner join files as fl on fl.file_hash = c.file_hash
