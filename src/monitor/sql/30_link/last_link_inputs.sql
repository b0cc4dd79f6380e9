-- One row, or none: the digest of the inputs of the last link that completed (link_inputs.sql
-- and monitor.link), whose tables the state holds, and the run that made them.
select fingerprint, run_id from stage_inputs where stage = 'link'
