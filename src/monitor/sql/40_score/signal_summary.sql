-- One row per (household, signal): what a caseworker's disposition is taken on and later
-- compared with: the highest tier, the amount in the direction that means worse for the
-- signal (signal_catalog.worse: the largest out-of-pocket, the lowest per-capita income, the
-- highest income above the line), and the keys of its evidence records.
with signals as (
    select s.*, t.tier_rank, c.worse
    from household_signals as s
    inner join tier_ranks as t using (tier)
    inner join signal_catalog as c using (code)
),

evidence as (
    select household_key, code, list(distinct record_key order by record_key) as evidence_keys,
        max(first_delivered) as last_delivered
    from signal_evidence
    where record_key is not null
    group by household_key, code
),

per_code as (
    select
        household_key,
        code,
        min(tier_rank) as tier_rank,
        max(worse) as worse,
        case max(worse)
            when 'income_down' then min(amount)
            else max(amount)
        end as amount
    from signals
    group by household_key, code
),

final as (
    select
        p.household_key,
        p.code,
        t.tier,
        p.tier_rank,
        p.worse,
        cast(p.amount as decimal(14, 2)) as amount,
        e.evidence_keys,
        e.last_delivered
    from per_code as p
    inner join tier_ranks as t using (tier_rank)
    left join evidence as e using (household_key, code)
)

select * from final
