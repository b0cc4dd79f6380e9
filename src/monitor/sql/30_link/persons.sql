-- One row per person known to the state: everyone whose valid (or losslessly
-- repaired) ID appears in a current record. The name is chosen per normalized
-- name (name_key), counting all its spellings together: a name the roster or
-- rural source writes (in any spelling) wins, else the one on most records (ties:
-- the smaller normalized name). The name shown is a spelling of the winning
-- name_key: the roster's or rural source's if it writes one, else the most
-- frequent, then the smaller, so that runs agree. A person without any written
-- normalized name has no name.
with names as (
    select * from person_names
),

-- Every normalized name of a person, its spellings' records summed.
name_keys as (
    select
        person_id,
        name_key,
        max(authoritative) as authoritative,
        sum(n) as n
    from names
    group by person_id, name_key
),

best_key as (
    select
        person_id,
        first(name_key order by name_key is null, authoritative desc, n desc, name_key) as name_key
    from name_keys
    group by person_id
),

-- The spelling shown for each normalized name.
spellings as (
    select
        person_id,
        name_key,
        first(name order by authoritative desc, n desc, name) as name
    from names
    where name_key is not null
    group by person_id, name_key
),

final as (
    select
        b.person_id,
        s.name,
        b.name_key,
        substr(b.person_id, 1, 6) as county,
        substr(b.person_id, 1, 15) as id_prefix15
    from best_key as b
    left join spellings as s using (person_id, name_key)
)

select * from final
