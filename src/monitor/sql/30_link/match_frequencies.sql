-- One row per (kind, value) of the evidence a pair is compared on: how many known persons
-- share it (the term frequencies of the u probabilities). kind 'name' is a person's
-- normalized name, 'pinyin' its pinyin, 'phone' and 'township' a contact seen on the
-- person's ID-bearing records (person_contacts: a person counts once per value).
with names as (
    select 'name' as kind, name_key as value, count(*) as n
    from persons
    where name_key is not null
    group by name_key
),

pinyins as (
    select 'pinyin' as kind, np.pinyin as value, count(*) as n
    from persons as p
    inner join name_pinyin as np using (name_key)
    group by np.pinyin
),

contacts as (
    select kind, value, count(distinct person_id) as n
    from person_contacts
    group by kind, value
),

final as (
    select * from names
    union all
    select * from pinyins
    union all
    select * from contacts
)

select * from final
