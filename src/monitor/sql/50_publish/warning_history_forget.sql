-- Forgets the warning list of run $run_id (a rerun of an as-of date replaces that run's list).
delete from warning_history
where run_id = $run_id
