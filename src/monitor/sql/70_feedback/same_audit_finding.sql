-- One row: how many findings already say exactly this (the same sample's run and item,
-- finding, date, checker and note): an audit workbook imported again changes nothing.
select count(*) as same
from audit_findings
where
    run_id = $run_id
    and item = $item
    and finding = $finding
    and checked_on = $checked_on
    and coalesce(checker, '') = coalesce($checker, '')
    and coalesce(note, '') = coalesce($note, '')
