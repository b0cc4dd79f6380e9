-- One row per household: households plus 绿色通道 (a member aged 60+ or severely
-- disabled) and the months of 渐退 that apply (longer with a severely disabled,
-- seriously ill or 60+ member).
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

ill as (
    select distinct person_id from person_signals where code = 'MAJOR_ILLNESS'
),

green as (
    select
        m.household_key,
        bool_or(
            m.birth_date <= cast($as_of as date) - to_years(cast($green_age as integer))
            or s.person_id is not null
        ) as green_channel,
        bool_or(
            m.birth_date <= cast($as_of as date) - to_years(cast($green_age as integer))
            or s.person_id is not null or i.person_id is not null
        ) as vulnerable
    from members as m
    left join severe as s using (person_id)
    left join ill as i using (person_id)
    group by m.household_key
),

final as (
    select
        h.*,
        coalesce(g.green_channel, false) as green_channel,
        case when coalesce(g.vulnerable, false) then $exit_months_vulnerable
            else $exit_months_default end as exit_months,
        -- 退出 households stay monitored for post_exit_months after the first run that saw them so
        coalesce(
            h.status = '退出'
            and x.first_seen_as_of <= cast($as_of as date) - to_months(cast($post_exit_months as integer)),
            false
        ) as exited_long_ago
    from households as h
    left join green as g using (household_key)
    left join roster_exits as x using (household_key)
)

select * from final
