-- Starts run $run_id: its row in runs (a rerun of an as-of date replaces the earlier one).
insert or replace into runs
values ($run_id, $as_of, current_timestamp, null, 'running', $input_dir, $policy_file, $policy_hash)
