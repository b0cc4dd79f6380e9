-- Stores a caseworker's disposition of signal $code of household $household_key, with the
-- tier, amount and evidence keys it was decided against.
insert into dispositions (
    household_key, code, outcome, decided_on, tier, amount, note, recorded_at, evidence_keys
)
values (
    $household_key, $code, $outcome, $decided_on, $tier, $amount, $note, current_timestamp, $evidence_keys
)
