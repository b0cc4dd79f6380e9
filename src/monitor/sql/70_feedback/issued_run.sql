-- At most one row: run $run_id with its as-of date, if it completed (a returned workbook
-- names the run that wrote it).
select run_id, as_of
from runs
where run_id = $run_id and status = 'completed'
