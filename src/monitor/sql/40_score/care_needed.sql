-- One row per member who needs visits and care (CARE_NEEDED, plan §二(七): 生活不能自理的老年人、
-- 未成年人、残疾人 访视、照料; 分散供养特困人员 上门服务). Only living members of a roster 特困 or
-- 低保 household whose 状态 is 在保 or 渐退:
--   * living alone (no other living member: the household's living size is 1, a roster row
--     whose person is not identified counting as living) and aged $care_age or more, or
--     severely disabled (SEVERE_DISABILITY of person_signals: one definition): yellow;
--   * a minor (under $adult_age) whose household has no living member of $adult_age or more:
--     orange. A roster row whose person is not identified may be that adult (its age is
--     unknown): such a household is not warned on a guess.
-- Evidence: the member's roster row; for a severe disability (not a minor's), the card.
with households as (
    select *
    from households_routed
    where membership = 'roster' and category in ('特困', '低保') and status in ('在保', '渐退')
),

members as (
    select * from member_facts
),

roster_rows as (
    select distinct on (household_no, person_id)
        household_no as household_key, person_id, source, file_hash, file_name, _row
    from linked_roster
    where person_id is not null and household_no is not null
    order by household_no, person_id, file_hash, _row
),

severe as (
    select distinct on (person_id) person_id, source, file_hash, file_name, _row, event_date, detail
    from person_signals
    where code = 'SEVERE_DISABILITY'
    order by person_id, file_hash, _row
),

per_household as (
    select
        household_key,
        count(*) as identified,
        count(*) filter (where alive and age >= $adult_age) as living_adults
    from members
    group by household_key
),

flagged as (
    select
        h.household_key,
        h.category,
        h.size,
        h.living_size,
        m.person_id,
        m.age,
        s.person_id is not null as severe,
        s.detail as severe_detail,
        s.source as card_source,
        s.file_hash as card_file_hash,
        s.file_name as card_file_name,
        s._row as card_row,
        s.event_date as card_date,
        h.living_size = 1 and (m.age >= $care_age or s.person_id is not null) as alone,
        m.age < $adult_age and g.living_adults = 0 and g.identified = h.size as minor_alone
    from households as h
    inner join members as m using (household_key)
    inner join per_household as g using (household_key)
    left join severe as s using (person_id)
    where m.alive
),

final as (
    select
        f.household_key,
        f.person_id,
        'CARE_NEEDED' as code,
        case when f.minor_alone then 'orange' else 'yellow' end as tier,
        cast(null as decimal(14, 2)) as amount,
        case when f.minor_alone or not f.severe then cast(null as date) else f.card_date end
            as event_date,
        case when f.minor_alone or not f.severe then r.source else f.card_source end as source,
        case when f.minor_alone or not f.severe then r.file_hash else f.card_file_hash end
            as file_hash,
        case when f.minor_alone or not f.severe then r.file_name else f.card_file_name end
            as file_name,
        case when f.minor_alone or not f.severe then r._row else f.card_row end as _row,
        case
            when f.minor_alone
                then '未成年人（' || f.age || '岁），家中无' || $adult_age || '岁及以上在世成员（户内 '
                    || f.size || ' 人'
                    || case when f.size > f.living_size
                        then '，其中 ' || (f.size - f.living_size) || ' 人已故' else '' end
                    || '），需核查是否事实无人抚养'
            else '独居（户内无其他在世成员）'
                || case when f.age >= $care_age
                    then '，年龄' || f.age || '岁（' || $care_age || '岁及以上）' else '' end
                || case when f.severe then '，' || f.severe_detail else '' end
                || '，需上门访视、照料'
        end || '；该户为' || f.category || '对象' as detail
    from flagged as f
    left join roster_rows as r using (household_key, person_id)
    where f.alone or f.minor_alone
)

select * from final
