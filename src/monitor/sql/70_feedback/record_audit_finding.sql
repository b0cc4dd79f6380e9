-- Stores the checking county's finding on item $item of the supervision sample drawn from
-- run $run_id (a returned audit workbook's row), with what the row said was decided.
insert into audit_findings (
    run_id, item, household_key, county, township, checker_county, kind, decision,
    decided_on, finding, checked_on, checker, note, seed, recorded_at, workbook_hash
)
values (
    $run_id, $item, $household_key, $county, $township, $checker_county, $kind, $decision,
    $decided_on, $finding, $checked_on, $checker, $note, $seed, current_timestamp,
    $workbook_hash
)
