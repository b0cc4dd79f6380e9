-- One row per run in the state, the latest started first: which completed run the state's
-- linking and scoring tables were last built by (explain), and whether a run started after it
-- and did not complete.
select
    run_id,
    as_of,
    status,
    started_at,
    finished_at,
    policy_file,
    policy_hash
from runs
order by started_at desc, run_id desc
