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
        row_number() over (
            partition by source, record_hash
            order by first_run_id desc, file_hash desc, _row
        ) as version_rank
    from records
),

counting as (
    select source, record_hash, content_hash as counted_content
    from ranked
    where version_rank = 1
),

changed as (
    select r.source, r.record_hash, coalesce(bool_or(r.content_hash <> c.counted_content), false) as revised
    from ranked as r
    inner join counting as c using (source, record_hash)
    group by r.source, r.record_hash
),

final as (
    select
        r.source,
        r.file_hash,
        r._row,
        r.record_hash,
        r.version_rank = 1 as counts,
        case
            when r.version_rank = 1 and ch.revised then 'revised'
            when r.version_rank = 1 then 'current'
            when r.content_hash = c.counted_content then 'duplicate'
            else 'superseded'
        end as version
    from ranked as r
    inner join counting as c using (source, record_hash)
    inner join changed as ch using (source, record_hash)
)

select * from final
