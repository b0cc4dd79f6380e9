-- One row: how many dispositions already say exactly this (the same household, signal,
-- outcome, date, caseworker, note and answered run): a workbook imported again, or re-saved
-- by a spreadsheet program, changes nothing.
select count(*) as same
from dispositions
where
    household_key = $household_key
    and code = $code
    and outcome = $outcome
    and decided_on = $decided_on
    and coalesce(caseworker, '') = coalesce($caseworker, '')
    and coalesce(note, '') = coalesce($note, '')
    and coalesce(issued_run_id, '') = coalesce($issued_run_id, '')
