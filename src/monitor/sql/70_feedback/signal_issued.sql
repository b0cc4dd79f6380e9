-- At most one row: signal $code of household $household_key as run $run_id's workbooks
-- carried it (its tier, amount and evidence keys then), which a disposition returned in such
-- a workbook is recorded against.
select tier, amount, evidence_keys
from issued_signals
where run_id = $run_id and household_key = $household_key and code = $code
