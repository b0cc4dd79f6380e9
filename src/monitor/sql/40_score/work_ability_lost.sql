-- One row per evidence record of a member who may have lost the ability to work
-- (WORK_ABILITY_LOST, plan §二(一): 脱贫人口中完全丧失劳动能力或部分丧失劳动能力…纳入农村低保或特困人员
-- 救助供养范围): a living member of working age ($min_working_age up to the retirement age of
-- their sex, excluded, as for UNEMPLOYED) of a rural-source household (脱贫户/监测户: one of
-- its members is in the rural source's current picture) that is not on 低保/特困 (a roster
-- 低保/特困 household that has not left), who is severely disabled or has a 重大疾病 diagnosis
-- in the window: SEVERE_DISABILITY and MAJOR_ILLNESS of person_signals (one definition each),
-- whose records are its evidence. Orange.
with people as (
    select * from member_facts
),

households as (
    select * from households_routed
),

conditions as (
    select * from person_signals where code in ('SEVERE_DISABILITY', 'MAJOR_ILLNESS')
),

-- the household's kind in the rural source, from its members' rows (脱贫户 before 监测户)
rural_households as (
    select m.household_key, min(r.household_type) as household_type
    from linked_rural as r
    inner join people as m using (person_id)
    group by m.household_key
),

final as (
    select
        m.household_key,
        c.person_id,
        'WORK_ABILITY_LOST' as code,
        'orange' as tier,
        cast(null as decimal(14, 2)) as amount,
        c.event_date,
        c.source,
        c.file_hash,
        c.file_name,
        c._row,
        '劳动年龄内（' || m.age || '岁），' || c.detail || '，可能完全或部分丧失劳动能力；该户为'
            || coalesce(rh.household_type, '防返贫监测户') || '，未纳入低保、特困' as detail
    from conditions as c
    inner join people as m using (person_id)
    inner join households as h using (household_key)
    inner join rural_households as rh using (household_key)
    where m.alive
        and m.age >= $min_working_age
        and m.age < case when m.sex = 'M' then $retirement_age_male else $retirement_age_female end
        and not coalesce(h.category in ('低保', '特困') and coalesce(h.status, '在保') <> '退出', false)
)

select * from final
