-- Remembers every signal the workbooks of run $run_id carry (raised, not held back by a
-- disposition, of a warned household) with its tier, amount and evidence keys as they are
-- now: what a disposition returned in one of these workbooks is recorded against; and the
-- household's 处置时限 ($deadline_<tier> of its tier), which the report counts overdue ones by.
insert into issued_signals
select
    $run_id, s.household_key, s.code, s.tier, s.amount, s.evidence_keys, w.county, w.township,
    case w.tier
        when 'red' then cast($deadline_red as date)
        when 'orange' then cast($deadline_orange as date)
        when 'yellow' then cast($deadline_yellow as date)
        else cast($deadline_review as date)
    end as deadline
from signal_summary as s
inner join warnings_current as w using (household_key)
where (s.household_key, s.code) in (
    select household_key, code
    from signals_after_dispositions
    where not suppressed
)
