-- One row per signal caseworkers have handled: each (household, signal) counted once, by its
-- latest disposition decided on or before $as_of (the answer to the latest run's warning,
-- then the later decision, then the later record, as signals_after_dispositions takes it):
-- how many were confirmed (已核实-已救助, 已核实-已纳入低保), found ineligible
-- (已核实-不符合条件), unreachable (无法联系) or other (其他). Confirmed against ineligible
-- estimates the rule's precision (the report and monitor whatif). By code.
with latest as (
    select distinct on (household_key, code) household_key, code, outcome
    from dispositions
    where decided_on <= $as_of
    order by
        household_key, code, coalesce(issued_run_id, '') desc, decided_on desc, recorded_at desc
),

final as (
    select
        code,
        count(*) as handled,
        count(*) filter (where outcome = '已核实-已救助') as helped,
        count(*) filter (where outcome = '已核实-已纳入低保') as enrolled,
        count(*) filter (where outcome in ('已核实-已救助', '已核实-已纳入低保')) as confirmed,
        count(*) filter (where outcome = '已核实-不符合条件') as not_eligible,
        count(*) filter (where outcome = '无法联系') as unreachable,
        count(*) filter (where outcome not like '已核实-%' and outcome <> '无法联系') as other
    from latest
    group by code
)

select * from final
order by code
