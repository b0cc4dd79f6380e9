-- One row per file present in INPUT at run $run_id (deliveries), by source and file name: what
-- happened to it, its data records and how linking decided them (a failed file's records all
-- quarantined), its title, blank and total rows, and whether it was not read at all (a hidden
-- file, lock file or sub-folder: skipped without a content hash).
select
    d.source,
    d.file_name,
    d.outcome,
    coalesce(d.records, f.records, 0) as records,
    count(*) filter (where rl.method = 'exact') as exact,
    count(*) filter (where rl.method = 'repaired') as repaired,
    count(*) filter (where rl.method = 'fuzzy') as fuzzy,
    count(*) filter (where rl.method = 'review') as review,
    count(*) filter (where rl.method = 'unmatched') as unmatched,
    count(*) filter (where rl.method = 'quarantined')
        + max(case when d.outcome = 'failed' then coalesce(d.records, 0) else 0 end) as quarantined,
    coalesce(f.title_rows, 0) as title_rows,
    coalesce(f.blank_rows, 0) as blank_rows,
    coalesce(f.total_rows, 0) as total_rows,
    d.outcome = 'skipped' and d.file_hash = '' as not_read
from deliveries as d
left join files as f using (file_hash)
left join record_links as rl
    on rl.source = d.source and rl.file_hash = d.file_hash and d.outcome <> 'failed'
where d.run_id = $run_id
group by all
order by d.source, d.file_name
