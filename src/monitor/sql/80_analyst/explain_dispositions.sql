-- One row per disposition recorded for household $household_key (dispositions): the signal
-- and its label, the outcome, when it was decided, the tier and amount it was taken on, the
-- note, who verified, the run whose warning it answers and whether it came in a returned
-- workbook. By decision date, then the time it was recorded.
with decided as (
    select * from dispositions where household_key = $household_key
),

catalog as (
    select code, label from signal_catalog
),

final as (
    select
        d.code,
        c.label,
        d.outcome,
        d.decided_on,
        d.tier,
        d.amount,
        d.note,
        d.caseworker,
        d.issued_run_id,
        d.workbook_hash is not null as from_workbook,
        d.recorded_at
    from decided as d
    left join catalog as c using (code)
)

select * from final
order by decided_on, recorded_at, code
