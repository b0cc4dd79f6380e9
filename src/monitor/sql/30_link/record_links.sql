-- One row per current record of every source: the person it is attached to and how.
-- exact / repaired: a usable ID (a valid ID whose name clearly disagrees with the
-- person's goes to review instead); otherwise the matcher's decision (fuzzy, review,
-- unmatched); quarantined: nothing usable. A person's decision returned in review.xlsx
-- (review_decisions: the latest per record and candidate; records are known by their
-- record_hash, so a decision holds for the record delivered again) comes first: "the same
-- person" attaches the record to the candidate (exact or repaired when that is its own
-- usable ID, else fuzzy with score 1); "not the same person" keeps the record from that
-- candidate: where linking would attach it to that candidate, or ask about it, the record is
-- unmatched instead.
with records as (
    select * from records_current
),

decisions as (
    select * from match_decisions
),

people_decided as (
    select distinct on (source, record_hash, candidate_id)
        source, record_hash, candidate_id, same_person, recorded_at
    from review_decisions
    order by source, record_hash, candidate_id, recorded_at desc
),

decided_same as (
    select source, record_hash, arg_max(candidate_id, recorded_at) as candidate_id
    from people_decided
    where same_person
    group by source, record_hash
),

automatic as (
    select
        r.source,
        r.file_hash,
        r._row,
        r.record_hash,
        r.id_status,
        r.person_id as own_id,
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
        end as score,
        case
            when r.quarantine_reason is not null then null
            when r.id_status in ('valid', 'repaired') and nd.source is not null then nd.candidate_id
            when r.id_status not in ('valid', 'repaired') and d.method in ('fuzzy', 'review')
                then d.person_id
        end as candidate_id
    from records as r
    left join decisions as d using (source, file_hash, _row)
    left join name_disagreements as nd using (source, file_hash, _row)
),

final as (
    select
        a.source,
        a.file_hash,
        a._row,
        case
            when a.method = 'quarantined' then null
            when s.candidate_id is not null then s.candidate_id
            when n.candidate_id is not null then null
            else a.person_id
        end as person_id,
        case
            when a.method = 'quarantined' then 'quarantined'
            when s.candidate_id is not null and s.candidate_id = a.own_id
                and a.id_status in ('valid', 'repaired')
                then case when a.id_status = 'valid' then 'exact' else 'repaired' end
            when s.candidate_id is not null then 'fuzzy'
            when n.candidate_id is not null then 'unmatched'
            else a.method
        end as method,
        case
            when a.method = 'quarantined' then null
            when s.candidate_id is not null and s.candidate_id = a.own_id
                and a.id_status in ('valid', 'repaired') then null
            when s.candidate_id is not null then 1.0
            else a.score
        end as score
    from automatic as a
    left join decided_same as s
        on s.source = a.source and s.record_hash = a.record_hash and a.method <> 'quarantined'
    left join people_decided as n
        on n.source = a.source and n.record_hash = a.record_hash
        and n.candidate_id = a.candidate_id and not n.same_person
        and a.method in ('fuzzy', 'review')
)

select * from final
