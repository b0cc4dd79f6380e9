-- One row per uncertain match of a record of a file delivered in run $run_id (review.csv):
-- linking's review pairs and the pairs whose IDs agree but names do not, the record (name,
-- ID as read, township, phone) beside its candidate (name, township and phone from the
-- candidate's contacts, the smallest of each). In the sources' canonical order (a template
-- over the contracts), file, row, then the strongest candidate first.
with pairs as (
    select * from review_pairs
    union all
    select * from name_disagreements
),

delivered as (
    select distinct source, file_name, file_hash
    from deliveries
    where run_id = $run_id and outcome <> 'failed'
),

contact as (
    select person_id, kind, min(value) as value
    from person_contacts
    group by person_id, kind
)

select
    d.source,
    d.file_name as file,
    p._row as row,
    r.name as record_name,
    coalesce(raw.id_text, '') as record_id,
    r.township as record_township,
    r.phone_norm as record_phone,
    p.candidate_id,
    pe.name as candidate_name,
    ct.value as candidate_township,
    cp.value as candidate_phone,
    p.levels,
    p.score,
    r.record_hash
from pairs as p
inner join delivered as d on d.source = p.source and d.file_hash = p.file_hash
inner join records_current as r
    on r.source = p.source and r.file_hash = p.file_hash and r._row = p._row
left join persons as pe on pe.person_id = p.candidate_id
left join contact as ct on ct.person_id = p.candidate_id and ct.kind = 'township'
left join contact as cp on cp.person_id = p.candidate_id and cp.kind = 'phone'
left join raw_ids as raw on raw.source = p.source and raw.file_hash = p.file_hash and raw._row = p._row
order by
    list_position([{% for s in sources %}'{{ s.source }}'{{ ", " if not loop.last }}{% endfor %}], d.source),
    file,
    row,
    p.score desc nulls last,
    p.candidate_id
