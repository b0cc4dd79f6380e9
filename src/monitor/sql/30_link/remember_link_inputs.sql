-- Records the inputs of the link that just completed (run $run_id), once all its tables are
-- built.
insert into stage_inputs (stage, fingerprint, run_id) values ('link', $fingerprint, $run_id)
