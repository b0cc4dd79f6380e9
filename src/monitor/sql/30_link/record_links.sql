-- One row per current record of every source: the person it is attached to and how.
-- exact / repaired: a usable ID (a valid ID whose name clearly disagrees with the
-- person's goes to review instead); otherwise the matcher's decision (fuzzy, review,
-- unmatched); quarantined: nothing usable.
with records as (
    select * from records_current
),

decisions as (
    select * from match_decisions
),

final as (
    select
        r.source,
        r.file_hash,
        r._row,
        case
            when r.quarantine_reason is not null then null
            when r.id_status in ('valid', 'repaired') and nd.source is null then r.person_id
            when d.method = 'fuzzy' then d.person_id
        end as person_id,
        case
            when r.quarantine_reason is not null then 'quarantined'
            when r.id_status in ('valid', 'repaired') and nd.source is not null then 'review'
            when r.id_status = 'valid' then 'exact'
            when r.id_status = 'repaired' then 'repaired'
            else coalesce(d.method, 'unmatched')
        end as method,
        case
            when r.quarantine_reason is not null then null
            when r.id_status in ('valid', 'repaired') and nd.source is not null then nd.score
            when r.id_status in ('valid', 'repaired') then null
            else coalesce(d.score, 0.0)
        end as score
    from records as r
    left join decisions as d using (source, file_hash, _row)
    left join name_disagreements as nd using (source, file_hash, _row)
)

select * from final
