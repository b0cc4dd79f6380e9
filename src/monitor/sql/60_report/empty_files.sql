-- One row per file of run $run_id that was read and holds no data record (a header only),
-- by source and file name, with what the reader said of it.
select d.source, d.file_name, d.reason
from deliveries as d
left join files as f using (file_hash)
where d.run_id = $run_id and d.outcome <> 'failed' and coalesce(d.records, f.records) = 0
order by d.source, d.file_name
