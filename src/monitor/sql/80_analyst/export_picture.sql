-- Adds to the picture of snapshot source $source at run $check_run_id (check-export's private
-- run, on a copy of the state) the files of the source's latest picture up to run $run_id
-- that it does not hold yet: the file checked joins the current picture instead of replacing
-- it, so that its records are linked against everyone the state knows.
insert into pictures (run_id, source, file_hash, file_name)
select $check_run_id, p.source, p.file_hash, p.file_name
from pictures as p
where p.source = $source
    and p.run_id = (select max(run_id) from pictures where source = $source and run_id <= $run_id)
    and p.file_hash not in (
        select file_hash from pictures where source = $source and run_id = $check_run_id
    )
