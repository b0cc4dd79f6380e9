-- Stores a caseworker's disposition of signal $code of household $household_key, with the
-- tier, amount and evidence keys it was decided against, who verified it, the run whose
-- warning it answers and the returned workbook it came from (null on the command line).
insert into dispositions (
    household_key, code, outcome, decided_on, tier, amount, note, recorded_at, evidence_keys,
    caseworker, issued_run_id, workbook_hash
)
values (
    $household_key, $code, $outcome, $decided_on, $tier, $amount, $note, current_timestamp,
    $evidence_keys, $caseworker, $issued_run_id, $workbook_hash
)
