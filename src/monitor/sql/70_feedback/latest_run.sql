-- One row: the latest completed run (null before the first), whose warning a disposition
-- given on the command line answers.
select max(run_id) as run_id
from runs
where status = 'completed'
