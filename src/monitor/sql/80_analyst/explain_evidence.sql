-- One row per evidence record of a signal of household $household_key (signal_evidence):
-- the source's label, file, row, date, amount and what the record says, the person it is
-- about and how linking attached the record to them (record_links); an income signal's row
-- has no record (its computation is in the detail). By signal, file, row and person.
with evidence as (
    select * from signal_evidence where household_key = $household_key
),

links as (
    select * from record_links
),

catalog as (
    select * from source_catalog
),

names as (
    select person_id, name from persons
),

final as (
    select
        e.code,
        e.person_id,
        n.name,
        e.source,
        c.label as source_label,
        e.file_name,
        e._row,
        e.event_date,
        e.amount,
        e.detail,
        e.record_key,
        l.method,
        l.score
    from evidence as e
    left join links as l using (source, file_hash, _row)
    left join catalog as c using (source)
    left join names as n on n.person_id = e.person_id
)

select * from final
order by code, file_name nulls first, _row, person_id
