-- One row per file of run $run_id that failed as a whole, by source and file name: why.
select source, file_name, reason
from deliveries
where run_id = $run_id and outcome = 'failed'
order by source, file_name
