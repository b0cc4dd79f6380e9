-- One row per entry of a source folder that run $run_id did not read (a hidden file, an
-- Excel lock file, a sub-folder: skipped without a content hash), by source and name: why.
select source, file_name, reason
from deliveries
where run_id = $run_id and outcome = 'skipped' and file_hash = ''
order by source, file_name
