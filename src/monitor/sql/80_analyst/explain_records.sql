-- One row per current record that concerns household $household_key: linked to one of its
-- members, put to identity review with a member as candidate (review_pairs, or a valid ID
-- whose name disagrees with the member's: name_disagreements), or a row of the household's
-- own register (roster 家庭编号, rural 户编号) that links to nobody; one row per member
-- candidate where review has two. How linking attached each (record_links: method, score),
-- the comparison levels the matcher stored for a review, and the latest identity decision
-- returned for the record and that person (review_decisions). By source, file and row.
with members as (
    select person_id from household_members where household_key = $household_key
),

links as (
    select * from record_links
),

records as (
    select * from records_current
),

reviewed as (
    select source, file_hash, _row, candidate_id, levels, score
    from review_pairs
    where candidate_id in (select person_id from members)
    union all
    select source, file_hash, _row, candidate_id, levels, score
    from name_disagreements
    where candidate_id in (select person_id from members)
),

register_rows as (
    select source, file_hash, _row
    from linked_roster
    where household_no = $household_key and person_id is null
    union all
    select source, file_hash, _row
    from linked_rural
    where 'XC:' || household_no = $household_key and person_id is null
),

chosen as (
    select source, file_hash, _row from links where person_id in (select person_id from members)
    union
    select source, file_hash, _row from reviewed
    union
    select source, file_hash, _row from register_rows
),

-- the latest decision on each (record, candidate), as record_links follows it
decided as (
    select distinct on (source, record_hash, candidate_id)
        source, record_hash, candidate_id, same_person, recorded_at
    from review_decisions
    order by source, record_hash, candidate_id, recorded_at desc
),

final as (
    select
        c.source,
        sc.label as source_label,
        f.file_name,
        c._row,
        c.file_hash,
        r.name as record_name,
        r.id_status,
        l.person_id,
        p.name as person_name,
        l.method,
        l.score,
        v.version,
        rv.candidate_id as review_candidate,
        pc.name as candidate_name,
        rv.levels as review_levels,
        rv.score as review_score,
        d.same_person as decided_same,
        d.recorded_at as decided_at
    from chosen as c
    inner join records as r using (source, file_hash, _row)
    inner join links as l using (source, file_hash, _row)
    left join files as f using (file_hash)
    left join source_catalog as sc using (source)
    left join record_versions as v using (source, file_hash, _row)
    left join reviewed as rv using (source, file_hash, _row)
    left join persons as p on p.person_id = l.person_id
    left join persons as pc on pc.person_id = rv.candidate_id
    left join decided as d
        on d.source = c.source and d.record_hash = r.record_hash
        and d.candidate_id = coalesce(l.person_id, rv.candidate_id)
)

select * from final
order by source, file_name, _row, review_candidate nulls first
