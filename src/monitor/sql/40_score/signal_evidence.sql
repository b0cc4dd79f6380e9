-- One row per evidence record of a household's signal: the record a signal was raised on,
-- and for MED_OOP_HIGH every settlement of the window that went into the sum (its row in
-- household_signals cites the largest); an income signal, computed from several sources, is
-- its own evidence (no record, its computation in the detail). record_key (source:record_hash) is the record's
-- identity across deliveries; a disposition keeps the keys it was taken on.
with signals as (
    select * from household_signals
),

versions as (
    select * from record_versions
),

members as (
    select * from household_members
),

medical as (
    select distinct
        s.household_key, s.code, st.person_id, st.source, st.file_hash, st.file_name, st._row,
        st.oop as amount, st.settlement_date as event_date,
        strftime(st.settlement_date, '%Y-%m-%d') || coalesce(st.care_type, '') || '结算，个人自付 '
            || format('{:,.0f}', st.oop) || ' 元' as detail
    from signals as s
    inner join members as m using (household_key)
    inner join settlements as st on st.person_id = m.person_id
    where s.code = 'MED_OOP_HIGH'
),

single as (
    select household_key, code, person_id, source, file_hash, file_name, _row, amount,
        event_date, detail
    from signals
    where code <> 'MED_OOP_HIGH'
),

evidence as (
    select * from medical
    union all
    select * from single
),

final as (
    select
        e.*,
        e.source || ':' || v.record_hash as record_key,
        coalesce(try_cast(f.first_run_id as date), cast($as_of as date)) as first_delivered
    from evidence as e
    left join versions as v using (source, file_hash, _row)
    left join files as f using (file_hash)
)

select * from final
