-- Remembers every signal the workbooks of run $run_id carry (raised, not held back by a
-- disposition, of a warned household) with its tier, amount and evidence keys as they are
-- now: what a disposition returned in one of these workbooks is recorded against.
insert into issued_signals
select $run_id, s.household_key, s.code, s.tier, s.amount, s.evidence_keys, w.county, w.township
from signal_summary as s
inner join warnings_current as w using (household_key)
where (s.household_key, s.code) in (
    select household_key, code
    from signals_after_dispositions
    where not suppressed
)
