-- One row per (source, reason) of the three most frequent quarantine reasons of each source's
-- current records (the contract's words), by source then frequency (then reason): how many
-- records, and its place (1 to 3).
with reasons as (
    select
        source,
        quarantine_reason as reason,
        count(*) as records
    from records_current
    where quarantine_reason is not null
    group by source, quarantine_reason
),

ranked as (
    select
        source,
        reason,
        records,
        row_number() over (partition by source order by records desc, reason) as place
    from reasons
),

final as (
    select * from ranked
    where place <= 3
)

select * from final
order by source, place
