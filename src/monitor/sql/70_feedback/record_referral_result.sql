-- Stores a department's result for $recommendation of household $household_key, returned in
-- $department's list of run $run_id, with who handled it and the workbook it came from.
insert into referral_results (
    run_id, department, household_key, recommendation, result, decided_on, handler, note,
    recorded_at, workbook_hash
)
values (
    $run_id, $department, $household_key, $recommendation, $result, $decided_on, $handler,
    $note, current_timestamp, $workbook_hash
)
