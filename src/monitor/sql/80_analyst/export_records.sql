-- One row per current record of file $file_hash of source $source: its ID status, how linking
-- attached it (record_links: method, score), whether its person also has records of other
-- sources and which register's household they belong to (household_members), its quarantine
-- reason and flags, and what a masked sample of unmatched rows shows (name, phone, township
-- and the ID cell as read: raw_ids). By row.
with records as (
    select * from records_current where source = $source and file_hash = $file_hash
),

links as (
    select * from record_links where source = $source and file_hash = $file_hash
),

ids as (
    select * from raw_ids where source = $source and file_hash = $file_hash
),

elsewhere as (
    select distinct person_id
    from record_links
    where person_id is not null and source <> $source
),

members as (
    select * from household_members
),

final as (
    select
        r._row,
        r.id_status,
        l.method,
        l.score,
        l.person_id is not null as linked,
        e.person_id is not null as known_elsewhere,
        m.membership,
        r.quarantine_reason,
        r.flags,
        r.name,
        r.phone_norm,
        r.township,
        i.id_text
    from records as r
    inner join links as l using (source, file_hash, _row)
    left join ids as i using (source, file_hash, _row)
    left join elsewhere as e on e.person_id = l.person_id
    left join members as m on m.person_id = l.person_id
)

select * from final
order by _row
