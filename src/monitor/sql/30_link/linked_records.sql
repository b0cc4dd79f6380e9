-- materialized: view
-- One row per current record of every source, with the person linking attached it to.
select
    r.* exclude (person_id),
    rl.person_id
from records_current as r
inner join record_links as rl using (source, file_hash, _row)
