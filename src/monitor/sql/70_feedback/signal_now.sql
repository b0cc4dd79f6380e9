-- At most one row: signal $code of household $household_key as this run has it (its highest
-- tier, amount and evidence keys), which a disposition records to be compared with later.
select tier, amount, evidence_keys
from signal_summary
where household_key = $household_key and code = $code
