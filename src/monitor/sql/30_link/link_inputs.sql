-- One row: a digest of what linking reads from the state, so that a night whose inputs are
-- those of the last completed link (no new file, no new identity decision) can keep its
-- results instead of recomputing them. The current files (current_files) with their
-- ledger rows, whose records are fixed by the file's content (not the run of the picture
-- that delivered them: each night's folder is a new picture of the same files); and every
-- identity decision returned in review.xlsx. The code, the linkage settings and the reference lists are
-- digested beside this by monitor.link.
with current as (
    select
        concat_ws('|', 'file', c.source, c.file_hash, f.file_name, f.first_run_id, cast(f.records as varchar)) as line
    from current_files as c
    inner join files as f using (file_hash)
),

decisions as (
    select
        concat_ws('|', 'decision', source, record_hash, candidate_id,
                  cast(same_person as varchar), cast(recorded_at as varchar)) as line
    from review_decisions
),

final as (
    select sha256(coalesce(string_agg(line, ';' order by line), '')) as digest
    from (select line from current union all select line from decisions) as lines
)

select * from final
