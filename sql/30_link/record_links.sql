-- One row per current record of every source: the person it was attached to and how.
-- Exact ID and repaired ID only (identity resolution of damaged and missing IDs comes
-- with the matcher); everything else is unmatched, and unusable records quarantined.
with records as (
    select * from records_current
),

final as (
    select
        source,
        file_hash,
        _row,
        case when quarantine_reason is null and id_status in ('valid', 'repaired')
            then person_id end as person_id,
        case
            when quarantine_reason is not null then 'quarantined'
            when id_status = 'valid' then 'exact'
            when id_status = 'repaired' then 'repaired'
            else 'unmatched'
        end as method,
        cast(null as double) as score
    from records
)

select * from final
