-- One row per person known to the state: everyone whose valid (or losslessly
-- repaired) ID appears in a current record. The name is the roster's or rural
-- source's when there is one, else the most frequent name on their records (ties:
-- the smaller normalized name, then the smaller spelling, so that runs agree).
with names as (
    select * from person_names
),

best as (
    select
        person_id,
        first(name order by name_key is null, authoritative desc, n desc, name_key, name) as name,
        first(name_key order by name_key is null, authoritative desc, n desc, name_key, name) as name_key
    from names
    group by person_id
),

final as (
    select
        person_id,
        case when name_key is not null then name end as name,
        name_key,
        substr(person_id, 1, 6) as county,
        substr(person_id, 1, 15) as id_prefix15
    from best
)

select * from final
