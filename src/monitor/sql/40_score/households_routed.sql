-- One row per household: households plus its living members (a member whose 死亡日期 is on or
-- before the as-of date no longer counts), 绿色通道 (a living member aged 60+ or severely
-- disabled) and the months of 渐退 that apply (longer with a living severely disabled,
-- seriously ill or 60+ member).
with members as (
    select * from member_facts
),

severe as (
    select distinct person_id from person_signals where code = 'SEVERE_DISABILITY'
),

ill as (
    select distinct person_id from person_signals where code = 'MAJOR_ILLNESS'
),

per_household as (
    select
        m.household_key,
        count(*) filter (where not m.alive) as deceased,
        bool_or(m.alive and (m.age >= $green_channel_age or s.person_id is not null)) as green_channel,
        bool_or(
            m.alive and (m.age >= $green_channel_age or s.person_id is not null or i.person_id is not null)
        ) as vulnerable
    from members as m
    left join severe as s using (person_id)
    left join ill as i using (person_id)
    group by m.household_key
),

final as (
    select
        h.*,
        h.size - coalesce(g.deceased, 0) as living_size,
        coalesce(g.green_channel, false) as green_channel,
        case when coalesce(g.vulnerable, false) then $gradual_exit_months_vulnerable
            else $gradual_exit_months_default end as exit_months,
        -- 退出 households stay monitored for post_exit_months after the first run that saw them so
        coalesce(
            h.status = '退出'
            and x.first_seen_as_of <= cast($as_of as date) - to_months(cast($post_exit_months as integer)),
            false
        ) as exited_long_ago
    from households as h
    left join per_household as g using (household_key)
    left join roster_exits as x using (household_key)
)

select * from final
