-- One row per (pending record, candidate person) proposed by blocking, with the
-- evidence to compare. Pending records are those whose ID cannot be used as is:
-- a typo (bad check character: persons one substitution or adjacent swap away),
-- an Excel-truncated ID (persons sharing the 15 surviving characters), or no
-- usable ID (persons with the same phone; persons with the same name or pinyin
-- in the same township). A block's size is the number of distinct persons it
-- proposes for the record (not their contact rows: a phone on three sources'
-- records is one candidate). Each block is cut on its own: one of more than
-- $max_candidates persons is too common to decide on and proposes nobody. A pair
-- then keeps the strongest of its surviving blocks, so a pair in a cut block
-- stays through a small one; a record all of whose blocks are cut stays
-- unmatched or goes to review.
-- Records are numbered (rec) so that the window functions partition on integers.
with pending as (
    select
        row_number() over (order by r.source, r.file_hash, r._row) as rec,
        r.source, r.file_hash, r._row, r.id_status, r.id_prefix, r.name_key, r.phone_norm,
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

-- Valid IDs one typo away from each bad_check ID (matching.id_typo_variants).
by_typo as (
    select distinct p.rec, pe.person_id, 'id_typo' as block
    from id_typo_variants as v
    inner join pending as p using (source, file_hash, _row)
    inner join persons as pe on pe.person_id = v.variant
),

-- Excel rounds to 15 significant digits: the 15 surviving characters are the ID's
-- first 15, or those plus one when the 16th digit was 5 or more.
truncated as (
    select rec, id_prefix as prefix from pending where id_status = 'truncated'
    union all
    select rec, lpad(cast(cast(id_prefix as bigint) - 1 as varchar), 15, '0') as prefix
    from pending
    where id_status = 'truncated' and id_prefix <> '000000000000000'
),

by_prefix as (
    select distinct t.rec, pe.person_id, 'id_prefix' as block
    from truncated as t
    inner join persons as pe on pe.id_prefix15 = t.prefix
),

-- person_contacts has a row per source: distinct, so a person is proposed once.
by_phone as (
    select distinct p.rec, c.person_id, 'phone' as block
    from pending as p
    inner join person_contacts as c on c.kind = 'phone' and c.value = p.phone_norm
),

-- Each person's name sound in each township they are known in, made first: joined to the
-- pending records on the sound alone, a common name met every namesake of the city (1.5
-- billion rows at 5M people) before the township was compared. A record's name block is
-- the persons of its (sound, township), so a place of more than $max_candidates persons,
-- which proposes nobody, is left out here (11 of 16 million blocked rows at 5M people).
person_places as materialized (
    select person_id, pinyin, township
    from (
        select
            *,
            count(*) over (partition by pinyin, township) as persons_here
        from (
            select distinct pe.person_id, pe.pinyin, c.value as township
            from persons_ext as pe
            inner join person_contacts as c
                on c.person_id = pe.person_id and c.kind = 'township'
        ) as places
    ) as counted
    where persons_here <= $max_candidates
),

by_name as (
    select distinct p.rec, pp.person_id, 'name_township' as block
    from pending as p
    inner join person_places as pp on pp.pinyin = p.pinyin and pp.township = p.township
),

blocked as (
    select * from by_typo
    union all select * from by_prefix
    union all select * from by_phone
    union all select * from by_name
),

-- Each block's size in distinct persons (every block above is distinct per
-- (rec, person_id)); blocks bigger than $max_candidates propose nobody.
sized as (
    select *, count(*) over (partition by rec, block) as block_size
    from blocked
),

surviving as (
    select
        *,
        case block when 'id_typo' then 1 when 'id_prefix' then 2 when 'phone' then 3 else 4 end
            as strength
    from sized
    where block_size <= $max_candidates
),

-- A pair found by several surviving blocks keeps the strongest (ID evidence first).
pairs as (
    select
        rec,
        person_id,
        arg_min(block, strength) as block,
        arg_min(block_size, strength) as block_size
    from surviving
    group by rec, person_id
),

-- The candidates' phones and townships, once per candidate.
cand_contacts as (
    select
        c.person_id,
        list(c.value) filter (where c.kind = 'phone') as phones,
        list(c.value) filter (where c.kind = 'township') as townships
    from person_contacts as c
    where c.person_id in (select person_id from pairs)
    group by c.person_id
),

final as (
    select
        p.source, p.file_hash, p._row, pr.person_id, pr.block, pr.block_size,
        p.id_status, p.name_key as rec_name, p.pinyin as rec_pinyin, p.phone_norm as rec_phone,
        p.township as rec_township,
        pe.name_key as cand_name, pe.pinyin as cand_pinyin,
        coalesce(len(cc.phones), 0) > 0 as cand_has_phone,
        coalesce(list_contains(cc.phones, p.phone_norm), false) as phone_agrees,
        coalesce(len(cc.townships), 0) > 0 as cand_has_township,
        coalesce(list_contains(cc.townships, p.township), false) as township_agrees
    from pairs as pr
    inner join pending as p using (rec)
    inner join persons_ext as pe on pe.person_id = pr.person_id
    left join cand_contacts as cc on cc.person_id = pr.person_id
)

select * from final
