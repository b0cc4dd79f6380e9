-- One row per household signal with what caseworkers decided about it. A 已核实-*
-- disposition of the same household and signal suppresses it for $suppress_days
-- unless it got worse since: a higher tier, a larger amount, or a newer event
-- (a new disaster, ticket, diagnosis...). 无法联系 and 其他 suppress nothing.
with signals as (
    select s.*, t.tier_rank
    from household_signals as s
    inner join tier_ranks as t using (tier)
),

per_code as (
    select
        household_key,
        code,
        min(tier_rank) as tier_rank,
        max(coalesce(amount, 0)) as amount,
        max(event_date) as last_event
    from signals
    group by household_key, code
),

latest as (
    select distinct on (d.household_key, d.code) d.*, t.tier_rank as disposed_rank
    from dispositions as d
    left join tier_ranks as t on t.tier = d.tier
    where d.decided_on <= $as_of
    order by d.household_key, d.code, d.decided_on desc, d.recorded_at desc
),

judged as (
    select
        p.household_key,
        p.code,
        l.outcome,
        l.decided_on,
        l.outcome like '已核实-%'
            and l.decided_on > cast($as_of as date) - cast($suppress_days as integer) as verified_recently,
        p.tier_rank < coalesce(l.disposed_rank, 99)
            or (l.amount is not null and p.amount > l.amount)
            or (p.last_event is not null and p.last_event > l.decided_on) as worse
    from per_code as p
    inner join latest as l using (household_key, code)
),

final as (
    select
        s.* exclude (tier_rank),
        coalesce(j.verified_recently and not j.worse, false) as suppressed,
        coalesce(j.verified_recently and j.worse, false) as worse_since_disposition,
        j.outcome as disposition,
        j.decided_on as disposed_on
    from signals as s
    left join judged as j using (household_key, code)
)

select * from final
