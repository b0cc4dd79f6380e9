-- One row per evidence record of a signal that is raised in this run (not held back by a
-- disposition), with the signal's tier (the workbooks' 证据明细), by household, signal, file
-- name, row and person (then source and file content: two sources' files may share a name).
-- A grid worker's visit record (source grid) also brings what the caseworker going to see the
-- household needs and the signal's detail leaves out (it is in warnings.csv): who visited
-- (网格员) and what they wrote (情况描述, free text the workbook masks).
select
    e.household_key,
    e.person_id,
    e.code,
    s.tier,
    e.amount,
    e.event_date,
    e.source,
    e.file_name,
    e._row,
    e.detail,
    g.grid_worker,
    g.description as grid_description
from signal_evidence as e
inner join signal_summary as s using (household_key, code)
left join clean_grid as g on e.source = 'grid' and g.file_hash = e.file_hash and g._row = e._row
where (e.household_key, e.code) in (
    select household_key, code
    from signals_after_dispositions
    where not suppressed
)
order by e.household_key, e.code, e.file_name, e._row, e.person_id, e.source, e.file_hash
