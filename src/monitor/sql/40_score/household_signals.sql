-- One row per signal of a household: the members' person signals plus the household-level
-- signals (medical out-of-pocket, medical assistance, assets, rural risk, income; care needs,
-- lost work ability and the benefit paid: care_needed, work_ability_lost, benefit_check), with
-- applicability: roster and rural households get every signal; anyone else only the codes of
-- the policy's proactive_codes (主动发现: serious hardship). A household whose every member
-- died gets DECEASED (减员; 停发) and nothing else.
with members as (
    select * from household_members
),

households as (
    select
        h.*,
        i.annual_income,
        coalesce(h.category in ('低保', '特困') and coalesce(h.status, '在保') <> '退出', false)
            as on_assistance
    from households_routed as h
    left join household_income as i using (household_key)
),

settled as (
    select s.*, m.household_key
    from settlements as s
    inner join members as m using (person_id)
),

-- The household's out-of-pocket over the window (refunds net out); its evidence is the
-- largest settlement (every contributing one is in signal_evidence).
household_oop as (
    select
        household_key,
        sum(oop) as oop,
        count(*) as settlements,
        bool_or(oop < 0) as refunded,
        first(person_id order by oop desc, file_hash, _row) as person_id,
        first(file_hash order by oop desc, file_hash, _row) as file_hash,
        first(file_name order by oop desc, file_hash, _row) as file_name,
        first(_row order by oop desc, file_hash, _row) as _row
    from settled
    group by household_key
),

med_oop as (
    select
        o.household_key,
        o.person_id,
        'MED_OOP_HIGH' as code,
        case
            when o.oop >= $med_oop_red_abs then 'red'
            when h.annual_income is not null and o.oop >= $med_oop_min_rel
                and o.oop >= $med_oop_red_share * h.annual_income then 'red'
            else 'orange'
        end as tier,
        o.oop as amount,
        cast(null as date) as event_date,
        'medical_insurance' as source,
        o.file_hash,
        o.file_name,
        o._row,
        '近' || $medical_months || '个月医疗个人自付合计 ' || format('{:,.0f}', o.oop) || ' 元（'
            || o.settlements || '笔结算' || case when o.refunded then '，退费已冲抵' else '' end || '）'
            || case
                when o.oop >= $med_oop_red_abs
                    then '，达到 ' || format('{:,.0f}', $med_oop_red_abs) || ' 元（红色）'
                when h.annual_income is not null and o.oop >= $med_oop_min_rel
                    and o.oop >= $med_oop_red_share * h.annual_income
                    then '，超过家庭年收入 ' || format('{:,.0f}', h.annual_income) || ' 元的 '
                        || cast(round(100 * $med_oop_red_share) as integer) || '%（红色）'
                when o.oop >= $med_oop_orange_abs
                    then '，达到 ' || format('{:,.0f}', $med_oop_orange_abs) || ' 元（橙色）'
                else '，超过家庭年收入 ' || format('{:,.0f}', h.annual_income) || ' 元的 '
                    || cast(round(100 * $med_oop_orange_share) as integer) || '%（橙色）'
            end as detail
    from household_oop as o
    inner join households as h using (household_key)
    where o.oop >= $med_oop_orange_abs
        or (h.annual_income is not null and o.oop >= $med_oop_min_rel
            and o.oop >= $med_oop_orange_share * h.annual_income)
),

med_assist_missing as (
    select distinct on (s.household_key, s.person_id)
        s.household_key, s.person_id, 'MED_ASSIST_MISSING' as code, 'yellow' as tier,
        s.oop as amount, s.settlement_date as event_date, s.source, s.file_hash, s.file_name, s._row,
        strftime(s.settlement_date, '%Y-%m-%d') || '住院结算未享受医疗救助（医疗救助支付为0或空），'
            || '该户为' || h.category || '对象' as detail
    from settled as s
    inner join households as h using (household_key)
    where h.on_assistance and s.care_type = '住院'
        and s.settlement_date > $inpatient_since
        and coalesce(s.assistance_paid, 0) = 0
    order by s.household_key, s.person_id, s.settlement_date desc, s.file_hash, s._row
),

assets as (
    select
        h.household_key, hs.person_id, 'ASSETS_REVIEW' as code, 'review' as tier,
        cast(hs.properties as decimal(14, 2)) as amount, cast(null as date) as event_date,
        hs.source, hs.file_hash, hs.file_name, hs._row,
        '户主名下不动产 ' || hs.properties || ' 套，需核查家庭财产' as detail
    from households as h
    inner join linked_housing as hs on hs.person_id = h.head_id
    where h.membership = 'roster' and hs.properties >= $assets_properties
),

-- A rural household's risk is the household's: raised on the household its members live in
-- (a roster household when they are on the roster), and on XC:户编号 when nobody links.
rural_risk as (
    select distinct on (household_key)
        coalesce(m.household_key, 'XC:' || r.household_no) as household_key,
        r.person_id,
        'RURAL_RISK' as code,
        case when r.monitoring_class = '突发严重困难户' then 'red' else 'orange' end as tier,
        cast(null as decimal(14, 2)) as amount, cast(null as date) as event_date,
        r.source, r.file_hash, r.file_name, r._row,
        '防返贫监测对象（' || r.monitoring_class || '，' || coalesce(r.risk_type, '风险类型未填')
            || '），风险尚未消除' as detail
    from linked_rural as r
    left join members as m using (person_id)
    where r.household_no is not null and r.monitoring_class is not null
        and r.monitoring_class <> '无' and r.risk_cleared = '否'
    order by
        household_key,
        case when r.monitoring_class = '突发严重困难户' then 0 else 1 end,
        case when r.relation = '本人' then 0 else 1 end,
        r.file_name,
        r._row
),

from_people as (
    select m.household_key, p.*
    from person_signals as p
    inner join members as m using (person_id)
),

all_signals as (
    select * from from_people
    union all select * from med_oop
    union all select * from med_assist_missing
    union all select * from assets
    union all select * from rural_risk
    union all select * from income_signals
    -- issue 14, more of the plan (rules)
    union all select * from care_needed
    union all select * from work_ability_lost
    union all select * from benefit_check
),

-- Roster and rural households get every signal. Anyone else is on the list only
-- when department data shows serious hardship (主动发现: one of the policy's
-- proactive_codes); their other signals are then listed too.
proactive as (
    select distinct household_key from all_signals where list_contains($proactive_codes, code)
),

final as (
    select a.*
    from all_signals as a
    inner join households as h using (household_key)
    where (
            (h.membership in ('roster', 'rural') and not h.exited_long_ago)
            or a.household_key in (select household_key from proactive)
        )
        and (h.living_size > 0 or a.code = 'DECEASED')
)

select * from final
