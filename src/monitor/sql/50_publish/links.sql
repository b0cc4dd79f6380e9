-- One row per data record of every file delivered in run $run_id (links.csv: the balance of
-- outputs.md): who linking attached it to, how, and which version of a record delivered
-- twice it is; every record of a file that failed is quarantined (no person, no version).
-- In the sources' canonical order (a template over the contracts), then file and row.
with delivered as (
    select
        d.source,
        d.file_name,
        d.file_hash,
        d.outcome,
        coalesce(d.records, f.records) as records
    from deliveries as d
    left join files as f using (file_hash)
    where d.run_id = $run_id
),

linked as (
    select
        d.source,
        d.file_name as file,
        rl._row as row,
        rl.person_id,
        rl.method,
        rl.score,
        v.version
    from delivered as d
    inner join record_links as rl on rl.source = d.source and rl.file_hash = d.file_hash
    left join record_versions as v
        on v.source = rl.source and v.file_hash = rl.file_hash and v._row = rl._row
    where d.outcome <> 'failed'
),

failed as (
    select
        d.source,
        d.file_name as file,
        r.row,
        cast(null as varchar) as person_id,
        'quarantined' as method,
        cast(null as double) as score,
        cast(null as varchar) as version
    from delivered as d, range(1, coalesce(d.records, 0) + 1) as r (row)
    where d.outcome = 'failed'
)

select * from linked
union all
select * from failed
order by
    list_position([{% for s in sources %}'{{ s.source }}'{{ ", " if not loop.last }}{% endfor %}], source),
    file,
    row
