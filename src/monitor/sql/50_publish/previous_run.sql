-- At most one row: the latest completed run with an as-of date before $as_of (the run this
-- one's 新增/持续 and resolved.csv compare with).
select run_id, as_of
from runs
where status = 'completed' and as_of < $as_of
order by as_of desc
limit 1
