-- One row per signal record of household $household_key (signals_after_dispositions: raised
-- or held back by a disposition), with the signal's label, its tier as the household's
-- warning counts it (signal_summary: the highest of its records), and the name of the person
-- it concerns; by that tier, code, then the record's own tier, file and row.
with signals as (
    select * from signals_after_dispositions where household_key = $household_key
),

summary as (
    select * from signal_summary where household_key = $household_key
),

catalog as (
    select * from signal_catalog
),

ranks as (
    select * from tier_ranks
),

names as (
    select person_id, name from persons
),

final as (
    select
        s.code,
        c.label,
        m.tier as signal_tier,
        m.tier_rank as signal_rank,
        s.tier,
        t.tier_rank,
        s.person_id,
        n.name,
        s.amount,
        s.event_date,
        s.source,
        s.file_name,
        s._row,
        s.detail,
        s.suppressed,
        s.worse_since_disposition,
        s.disposition,
        s.disposed_on
    from signals as s
    inner join catalog as c using (code)
    inner join summary as m using (household_key, code)
    inner join ranks as t on t.tier = s.tier
    left join names as n using (person_id)
)

select * from final
order by signal_rank, code, tier_rank, file_name nulls first, _row, person_id
