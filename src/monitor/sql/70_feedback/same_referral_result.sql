-- One row: how many results already say exactly this (the same list row, result, date,
-- handler and note): a list imported again, or re-saved by a spreadsheet program, changes
-- nothing.
select count(*) as same
from referral_results
where
    run_id = $run_id
    and department = $department
    and household_key = $household_key
    and recommendation = $recommendation
    and result = $result
    and decided_on = $decided_on
    and coalesce(handler, '') = coalesce($handler, '')
    and coalesce(note, '') = coalesce($note, '')
