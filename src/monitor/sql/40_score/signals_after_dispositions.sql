-- One row per household signal with what caseworkers decided about it. A 已核实-*
-- disposition of the same household and signal suppresses it for $suppress_days unless it
-- got worse since, judged against what the disposition stored (signal_summary at the time):
-- a higher tier; for an income signal a lower per-capita income (渐退/退出: a higher one);
-- for an amount signal a larger amount; for an event signal a record that was not among
-- its evidence (a new ticket, dropout, disaster), or, for a disposition stored without
-- evidence keys, a record first delivered after the decision. 无法联系 and 其他 suppress
-- nothing.
with signals as (
    select * from household_signals
),

now as (
    select * from signal_summary
),

latest as (
    select distinct on (d.household_key, d.code) d.*, t.tier_rank as disposed_rank
    from dispositions as d
    left join tier_ranks as t on t.tier = d.tier
    where d.decided_on <= $as_of
    -- the answer to the latest run's warning wins (a workbook of a later run supersedes
    -- one of an earlier run), then the later decision, then the later record
    order by
        d.household_key, d.code, coalesce(d.issued_run_id, '') desc, d.decided_on desc,
        d.recorded_at desc
),

judged as (
    select
        n.household_key,
        n.code,
        l.outcome,
        l.decided_on,
        l.outcome like '已核实-%'
            and l.decided_on > cast($as_of as date) - cast($suppress_days as integer) as verified_recently,
        coalesce(n.tier_rank < l.disposed_rank, false)
            or (n.worse = 'amount_up' and coalesce(n.amount > l.amount, false))
            or (n.worse = 'income_down' and coalesce(n.amount < l.amount, false))
            or (n.worse = 'income_up' and coalesce(n.amount > l.amount, false))
            or (
                n.worse = 'new_record' and case
                    when l.evidence_keys is not null
                        then not list_has_all(l.evidence_keys, coalesce(n.evidence_keys, []))
                    else coalesce(n.last_delivered > l.decided_on, false)
                end
            ) as worse
    from now as n
    inner join latest as l using (household_key, code)
),

final as (
    select
        s.*,
        coalesce(j.verified_recently and not j.worse, false) as suppressed,
        coalesce(j.verified_recently and j.worse, false) as worse_since_disposition,
        j.outcome as disposition,
        j.decided_on as disposed_on
    from signals as s
    left join judged as j using (household_key, code)
)

select * from final
