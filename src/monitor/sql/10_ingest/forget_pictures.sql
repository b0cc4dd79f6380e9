-- Forgets the picture an earlier attempt of run $run_id recorded for source $source (a rerun
-- of an as-of date records it again).
delete from pictures
where run_id = $run_id and source = $source
