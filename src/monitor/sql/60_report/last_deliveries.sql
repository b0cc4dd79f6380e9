-- One row per source that delivered a file with data records at or before run $run_id (a
-- failed file or one with a header only is no delivery, like an empty folder): the latest
-- such run.
select
    d.source,
    max(d.run_id) as last_run_id
from deliveries as d
left join files as f using (file_hash)
where d.outcome <> 'failed' and d.run_id <= $run_id and coalesce(d.records, f.records, 0) > 0
group by d.source
