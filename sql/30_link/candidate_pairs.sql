-- One row per (pending record, candidate person) proposed by blocking, with the
-- evidence to compare. Pending records are those whose ID cannot be used as is:
-- a typo (bad check character: persons one substitution or adjacent swap away),
-- an Excel-truncated ID (persons sharing the 15 surviving characters), or no
-- usable ID (persons with the same phone; persons with the same name or pinyin
-- in the same township). Blocks too common to decide on are cut at
-- $max_candidates (the record then stays unmatched or goes to review).
with pending as (
    select r.source, r.file_hash, r._row, r.id_status, r.id_prefix, r.name_key, r.phone_norm,
        r.township, np.pinyin
    from records_current as r
    left join name_pinyin as np using (name_key)
    where r.quarantine_reason is null and r.id_status not in ('valid', 'repaired')
),

persons_ext as (
    select p.*, np.pinyin
    from persons as p
    left join name_pinyin as np using (name_key)
),

chars as (
    select unnest(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']) as ch
),

variants as (
    select p.source, p.file_hash, p._row,
        substr(p.id_prefix, 1, pos) || c.ch || substr(p.id_prefix, pos + 2) as variant
    from pending as p, range(0, 18) as t(pos), chars as c
    where p.id_status = 'bad_check' and (c.ch <> 'X' or pos = 17)
    union
    select p.source, p.file_hash, p._row,
        substr(p.id_prefix, 1, pos) || substr(p.id_prefix, pos + 2, 1)
            || substr(p.id_prefix, pos + 1, 1) || substr(p.id_prefix, pos + 3) as variant
    from pending as p, range(0, 17) as t(pos)
    where p.id_status = 'bad_check'
),

by_typo as (
    select distinct v.source, v.file_hash, v._row, pe.person_id, 'id_typo' as block
    from variants as v
    inner join persons as pe on pe.person_id = v.variant
),

-- Excel rounds to 15 significant digits: the 15 surviving characters are the ID's
-- first 15, or those plus one when the 16th digit was 5 or more.
truncated as (
    select source, file_hash, _row, id_prefix as prefix from pending where id_status = 'truncated'
    union all
    select source, file_hash, _row,
        lpad(cast(cast(id_prefix as bigint) - 1 as varchar), 15, '0') as prefix
    from pending
    where id_status = 'truncated' and id_prefix <> '000000000000000'
),

by_prefix as (
    select distinct t.source, t.file_hash, t._row, pe.person_id, 'id_prefix' as block
    from truncated as t
    inner join persons as pe on pe.id_prefix15 = t.prefix
),

by_phone as (
    select p.source, p.file_hash, p._row, c.person_id, 'phone' as block
    from pending as p
    inner join person_contacts as c on c.kind = 'phone' and c.value = p.phone_norm
),

by_name as (
    select p.source, p.file_hash, p._row, pe.person_id, 'name_township' as block
    from pending as p
    inner join persons_ext as pe on pe.pinyin = p.pinyin
    inner join person_contacts as c
        on c.person_id = pe.person_id and c.kind = 'township' and c.value = p.township
),

blocked as (
    select * from by_typo
    union all select * from by_prefix
    union all select * from by_phone
    union all select * from by_name
),

-- A pair found by several blocks keeps the strongest (ID evidence first).
ranked as (
    select
        *,
        row_number() over (
            partition by source, file_hash, _row, person_id
            order by case block when 'id_typo' then 1 when 'id_prefix' then 2 when 'phone' then 3 else 4 end
        ) as rk,
        count(*) over (partition by source, file_hash, _row, block) as block_size
    from blocked
),

pairs as (
    select * exclude (rk) from ranked where rk = 1 and block_size <= $max_candidates
),

final as (
    select
        pr.source, pr.file_hash, pr._row, pr.person_id, pr.block, pr.block_size,
        p.id_status, p.name_key as rec_name, p.pinyin as rec_pinyin, p.phone_norm as rec_phone,
        p.township as rec_township,
        pe.name_key as cand_name, pe.pinyin as cand_pinyin,
        exists (
            select 1 from person_contacts c
            where c.person_id = pr.person_id and c.kind = 'phone'
        ) as cand_has_phone,
        exists (
            select 1 from person_contacts c
            where c.person_id = pr.person_id and c.kind = 'phone' and c.value = p.phone_norm
        ) as phone_agrees,
        exists (
            select 1 from person_contacts c
            where c.person_id = pr.person_id and c.kind = 'township'
        ) as cand_has_township,
        exists (
            select 1 from person_contacts c
            where c.person_id = pr.person_id and c.kind = 'township' and c.value = p.township
        ) as township_agrees
    from pairs as pr
    inner join pending as p using (source, file_hash, _row)
    inner join persons_ext as pe on pe.person_id = pr.person_id
)

select * from final
