-- One row per candidate pair (candidate_pairs) of a current record with a member of household
-- $household_key as the candidate: what the matcher compared (names and their pinyin, phone,
-- township, the block that proposed the pair) and the posterior it gave the pair where one is
-- stored (the record's decision, or its review pair). By source, file, row and person.
with members as (
    select person_id from household_members where household_key = $household_key
),

pairs as (
    select * from candidate_pairs where person_id in (select person_id from members)
),

decisions as (
    select * from match_decisions
),

reviews as (
    select * from review_pairs
),

final as (
    select
        p.source,
        p.file_hash,
        p._row,
        p.person_id,
        p.block,
        p.id_status,
        p.rec_name,
        p.rec_pinyin,
        p.rec_phone,
        p.rec_township,
        p.cand_name,
        p.cand_pinyin,
        p.cand_has_phone,
        p.phone_agrees,
        p.cand_has_township,
        p.township_agrees,
        coalesce(d.score, r.score) as score
    from pairs as p
    left join decisions as d
        on d.source = p.source and d.file_hash = p.file_hash and d._row = p._row
        and d.person_id = p.person_id
    left join reviews as r
        on r.source = p.source and r.file_hash = p.file_hash and r._row = p._row
        and r.candidate_id = p.person_id
)

select * from final
order by source, file_hash, _row, person_id
