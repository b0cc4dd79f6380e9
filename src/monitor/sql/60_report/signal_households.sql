-- One row per signal raised in this run (not held back by a disposition), the most frequent
-- first (then by code): how many households carry it, and how many of them at each tier (the
-- signal's own tier in that household, the highest where its members carry it at several).
with raised as (
    select
        s.household_key,
        s.code,
        min(t.tier_rank) as tier_rank
    from signals_after_dispositions as s
    inner join tier_ranks as t using (tier)
    where not s.suppressed
    group by s.household_key, s.code
),

final as (
    select
        code,
        count(*) as households,
        count(*) filter (where tier_rank = 1) as red,
        count(*) filter (where tier_rank = 2) as orange,
        count(*) filter (where tier_rank = 3) as yellow,
        count(*) filter (where tier_rank = 4) as review
    from raised
    group by code
)

select * from final
order by households desc, code
