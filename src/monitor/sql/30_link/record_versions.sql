-- One row per usable current record: whether it is the version of its record that counts.
-- A record's identity is its contract's natural key on normalized values (record_hash), so
-- "2026/10/19, 12,000.00" in an xlsx re-export is the record "2026-10-19, 12000" of a CSV.
-- Among the current records sharing one, the first row of the latest-delivered file counts
-- (first ingestion; within one delivery the file's content hash, so that neither the order
-- files are listed in nor their names change the choice). In an
-- event source a re-sent record replaces the earlier one; in a snapshot source two files of
-- one picture may hold two facts under one key (a rural and an urban house of one head), so
-- only an identical copy is the same record there.
--   current     the version that counts, the only one with its content
--   revised     the version that counts; an earlier delivery said something else
--   duplicate   the same content as the version that counts (counted once)
--   superseded  older content, replaced by the version that counts
-- One window gives each record's rank and the content that counts (a window and two joins
-- back took a third longer at 1M).
with records as (
    select
        r.source, r.file_hash, r._row, r.content_hash, f.first_run_id, f.file_name,
        case when s.kind = 'event' then r.record_hash
            else r.record_hash || ':' || coalesce(r.content_hash, '') end as record_hash
    from records_current as r
    inner join files as f using (file_hash)
    inner join source_catalog as s on s.source = r.source
    where r.quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over latest as version_rank,
        first_value(content_hash) over latest as counted_content
    from records
    window latest as (
        partition by source, record_hash
        order by first_run_id desc, file_hash desc, _row
        rows between unbounded preceding and unbounded following
    )
),

judged as (
    select
        *,
        coalesce(bool_or(content_hash <> counted_content) over (partition by source, record_hash), false) as revised
    from ranked
),

final as (
    select
        source,
        file_hash,
        _row,
        record_hash,
        version_rank = 1 as counts,
        case
            when version_rank = 1 and revised then 'revised'
            when version_rank = 1 then 'current'
            when content_hash = counted_content then 'duplicate'
            else 'superseded'
        end as version
    from judged
)

select * from final
