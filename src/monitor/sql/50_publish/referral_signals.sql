-- One row per signal raised in this run (not held back by a disposition) of a warned
-- household, for the departments' referral lists: its highest tier, the members who carry it
-- (full IDs, `;`-joined, and as "name ID" for the list: the receiving department identifies
-- people by ID; departments/ is owner-only like the rest of OUT) and its sentences as the
-- warning says them (each once, by tier, then text, then record). By household and code.
with raised as (
    select s.household_key, s.code, s.person_id, s.detail, s.file_hash, s._row, t.tier_rank
    from signals_after_dispositions as s
    inner join tier_ranks as t using (tier)
    where not s.suppressed
        and s.household_key in (select household_key from warnings_current)
),

named as (
    select
        r.*,
        p.name,
        coalesce(p.name || '：', '') || r.detail as said
    from raised as r
    left join persons as p using (person_id)
),

sentences as (
    select
        household_key, code, said, min(tier_rank) as tier_rank, min(file_hash) as file_hash,
        min(_row) as _row
    from named
    group by household_key, code, said
),

texts as (
    select
        household_key,
        code,
        string_agg(said, '；' order by tier_rank, said, file_hash, _row) as detail
    from sentences
    group by household_key, code
),

carriers as (
    select household_key, code, person_id, min(name) as name
    from named
    where person_id is not null
    group by household_key, code, person_id
),

members as (
    select
        household_key,
        code,
        string_agg(person_id, ';' order by person_id) as member_ids,
        string_agg(coalesce(name, '（姓名未知）') || ' ' || person_id, '；' order by person_id)
            as members
    from carriers
    group by household_key, code
),

tiers as (
    select household_key, code, min(tier_rank) as tier_rank
    from raised
    group by household_key, code
),

final as (
    select
        t.household_key,
        t.code,
        c.label,
        r.tier,
        m.member_ids,
        m.members,
        x.detail
    from tiers as t
    inner join tier_ranks as r on r.tier_rank = t.tier_rank
    inner join signal_catalog as c using (code)
    inner join texts as x using (household_key, code)
    left join members as m using (household_key, code)
)

select * from final
order by household_key, code
