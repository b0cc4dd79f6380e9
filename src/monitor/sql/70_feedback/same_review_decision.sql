-- One row: 1 when the latest decision on this (record, candidate) pair already says the same
-- (a review workbook imported again changes nothing).
select count(*) as same
from (
    select same_person, coalesce(note, '') as note
    from review_decisions
    where source = $source and record_hash = $record_hash and candidate_id = $candidate_id
    order by recorded_at desc
    limit 1
) as latest
where latest.same_person = $same_person and latest.note = coalesce($note, '')
