-- At most one row: the latest completed run (by as-of date), with the policy file it used.
select run_id, as_of, policy_file
from runs
where status = 'completed'
order by as_of desc
limit 1
