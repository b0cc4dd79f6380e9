-- Forgets what an earlier attempt of run $run_id recorded of source $source's folder (a
-- rerun of an as-of date lists the folder again).
delete from deliveries
where run_id = $run_id and source = $source
