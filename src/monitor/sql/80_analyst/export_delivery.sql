-- At most one row: what ingestion did with the file of source $source delivered in run
-- $run_id (check-export's private run, on a copy of the state, holds one file): loaded,
-- skipped (its content is in the ledger already, or it is not read: a hidden or lock file) or
-- failed, with the reason, and the ledger's facts of its content (first run, title and blank
-- rows, sheet, encoding, the reader's notes).
with delivered as (
    select * from deliveries where run_id = $run_id and source = $source
),

ledger as (
    select * from files
),

final as (
    select
        d.file_name,
        d.file_hash,
        d.outcome,
        coalesce(d.records, f.records) as records,
        d.reason,
        d.failed_column,
        d.failed_value,
        f.first_run_id,
        f.title_rows,
        f.blank_rows,
        f.total_rows,
        f.sheet,
        f.encoding,
        f.notes
    from delivered as d
    left join ledger as f on f.file_hash = d.file_hash and f.source = d.source
)

select * from final
