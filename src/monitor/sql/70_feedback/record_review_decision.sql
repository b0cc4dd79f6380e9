-- Stores a returned identity decision: record $record_hash of source $source is (or is not,
-- $same_person) the person $candidate_id.
insert into review_decisions
values (
    $source, $record_hash, $candidate_id, $same_person, $note, current_timestamp, $workbook_hash
)
