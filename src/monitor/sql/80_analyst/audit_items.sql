-- One row per decision the supervision sample (monitor audit-sample) draws from, as of the
-- latest completed run, whose tables the state holds (its as-of date $as_of):
--   预警      each household the run warned: the system's decision (tier, codes) on $as_of
--   核实结果  each caseworker's decision of the last $window_days up to $as_of, one per
--            household and decision date (its 核实结果, signal codes, 核实人 and notes), and
--            whether it now holds back a signal the data still shows (suppressed: it is the
--            signal's latest disposition and signals_after_dispositions suppresses the signal)
-- with the household's routing (households_routed; a household the run no longer knows:
-- where the workbook its decision answered sent it). `item` identifies the decision:
-- W:<household> or D:<household>:<decision date>. By county, township, item.
with warned as (
    select
        'W:' || household_key as item,
        '预警' as kind,
        household_key,
        county,
        township,
        village,
        codes,
        tier,
        cast(null as varchar) as outcome,
        cast(null as varchar) as caseworker,
        cast($as_of as date) as decided_on,
        cast(null as varchar) as note,
        false as suppressed
    from warnings_current
),

recent as (
    select *
    from dispositions
    where decided_on <= cast($as_of as date)
        and decided_on > cast($as_of as date) - cast($window_days as integer)
),

held_back as (
    select distinct household_key, code, disposition, disposed_on
    from signals_after_dispositions
    where suppressed
),

decisions as (
    select
        r.household_key,
        r.decided_on,
        string_agg(distinct r.outcome, ';' order by r.outcome) as outcome,
        string_agg(distinct r.code, ';' order by r.code) as codes,
        string_agg(distinct r.caseworker, '、' order by r.caseworker) as caseworker,
        string_agg(distinct r.note, '；' order by r.note) as note,
        max(r.issued_run_id) as issued_run_id,
        count(h.code) > 0 as suppressed
    from recent as r
    left join held_back as h
        on h.household_key = r.household_key and h.code = r.code
        and h.disposition = r.outcome and h.disposed_on = r.decided_on
    group by r.household_key, r.decided_on
),

issued_place as (
    select distinct on (run_id, household_key) run_id, household_key, county, township
    from issued_signals
    order by run_id, household_key, code
),

decided as (
    select
        'D:' || d.household_key || ':' || strftime(d.decided_on, '%Y-%m-%d') as item,
        '核实结果' as kind,
        d.household_key,
        coalesce(h.county, i.county) as county,
        coalesce(h.township, i.township) as township,
        h.village,
        d.codes,
        cast(null as varchar) as tier,
        d.outcome,
        d.caseworker,
        d.decided_on,
        d.note,
        d.suppressed
    from decisions as d
    left join households_routed as h using (household_key)
    left join issued_place as i on i.run_id = d.issued_run_id and i.household_key = d.household_key
),

final as (
    select * from warned
    union all
    select * from decided
)

select * from final
order by county nulls last, township nulls last, item
