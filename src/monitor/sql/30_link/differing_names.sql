-- One row per (person, normalized name) written on the person's ID-bearing records that is
-- not the person's own name (persons), with both names' pinyin, in person then name order:
-- each such name is compared with the person's once.
with differing as (
    select distinct n.person_id, n.name_key
    from person_names as n
    inner join persons as p using (person_id)
    where n.name_key is not null and p.name_key is not null and n.name_key <> p.name_key
)

select
    d.person_id,
    d.name_key as rec_name,
    np.pinyin as rec_pinyin,
    p.name_key as cand_name,
    pp.pinyin as cand_pinyin
from differing as d
inner join persons as p using (person_id)
left join name_pinyin as np on np.name_key = d.name_key
left join name_pinyin as pp on pp.name_key = p.name_key
order by d.person_id, d.name_key
