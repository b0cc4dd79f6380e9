-- One row per household: households plus 绿色通道 (a member aged 60+ or severely disabled).
with members as (
    select
        household_key,
        person_id,
        cast(substr(person_id, 7, 4) || '-' || substr(person_id, 11, 2) || '-'
            || substr(person_id, 13, 2) as date) as birth_date
    from household_members
),

severe as (
    select distinct person_id from person_signals where code = 'SEVERE_DISABILITY'
),

green as (
    select
        m.household_key,
        bool_or(
            m.birth_date <= cast($as_of as date) - to_years(cast($green_age as integer))
            or s.person_id is not null
        ) as green_channel
    from members as m
    left join severe as s using (person_id)
    group by m.household_key
),

final as (
    select h.*, coalesce(g.green_channel, false) as green_channel
    from households as h
    left join green as g using (household_key)
)

select * from final
