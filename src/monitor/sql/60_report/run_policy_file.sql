-- At most one row: the policy file run $run_id recorded (the report reads it again for the
-- provisional-policy notice).
select policy_file
from runs
where run_id = $run_id
