-- Forgets what an earlier run of the same as-of date ($run_id) issued (a rerun replaces it).
delete from issued_signals
where run_id = $run_id
