-- One row per current record with a usable ID that carries a name clearly different from
-- its person's, in record order: the rows of table name_disagreements (the record goes to
-- review, its person as the candidate). _different_names (a frame matching registers) holds
-- the (person_id, rec_name) pairs of differing_names.sql that name_levels found different.
select
    r.source,
    r.file_hash,
    r._row,
    r.person_id as candidate_id,
    '证件号有效，姓名与该证件号人员不同' as levels,
    cast(null as double) as score
from records_current as r
inner join _different_names as d on d.person_id = r.person_id and d.rec_name = r.name_key
where r.quarantine_reason is null and r.id_status in ('valid', 'repaired')
order by r.source, r.file_hash, r._row
