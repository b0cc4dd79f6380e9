-- One row per person known to the state: everyone whose valid (or losslessly
-- repaired) ID appears in a current record. The name is the roster's or rural
-- source's when there is one, else the most frequent name on their records.
with linked as (
    select source, person_id, name, name_key, township
    from records_current
    where quarantine_reason is null and id_status in ('valid', 'repaired') and person_id is not null
),

names as (
    select
        person_id,
        name,
        name_key,
        count(*) as n,
        max(case when source in ('roster', 'rural') then 1 else 0 end) as authoritative
    from linked
    where name_key is not null
    group by person_id, name, name_key
),

best_name as (
    select person_id, name, name_key
    from (
        select
            *,
            row_number() over (
                partition by person_id order by authoritative desc, n desc, name_key
            ) as rk
        from names
    )
    where rk = 1
),

ids as (
    select distinct person_id from linked
),

final as (
    select
        i.person_id,
        b.name,
        b.name_key,
        substr(i.person_id, 1, 6) as county,
        substr(i.person_id, 1, 15) as id_prefix15
    from ids as i
    left join best_name as b using (person_id)
)

select * from final
