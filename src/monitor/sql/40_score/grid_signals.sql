-- One row per GRID_REPORT signal (policy.md, "More of the plan"; plan §二(四) 网格化管理
-- 日常巡查入格): a grid worker's visit record linked to a member, of the last $grid_days days
-- (bound as its start date, $grid_since: a visit exactly grid_days ago is outside, as for a
-- hotline ticket), whose 情况类型 is one of the policy's $grid_hardship_types (其他 is not).
-- A visit counts only up to the person's death. The detail says the date, the type and the
-- record's number; neither the free-text 情况描述 (it may name people) nor the grid worker's
-- name is in it: the workbooks' 证据明细 shows those (50_publish/evidence.sql).
-- Worked example (as-of 2026-11-15, 30 days): a 独居老人 visit on 2026-10-17 raises it, one
-- on 2026-10-16 does not, nor a visit of 其他 on 2026-11-10.
with people as (
    select * from member_facts
),

visits as (
    select * from linked_grid
),

final as (
    select
        v.person_id,
        'GRID_REPORT' as code,
        'orange' as tier,
        cast(null as decimal(14, 2)) as amount,
        v.visit_date as event_date,
        v.source,
        v.file_hash,
        v.file_name,
        v._row,
        strftime(v.visit_date, '%Y-%m-%d') || '网格员走访记录：' || v.situation_type
            || '（记录编号 ' || v.record_no || '）' as detail
    from visits as v
    inner join people as p using (person_id)
    where list_contains($grid_hardship_types, v.situation_type)
        and v.visit_date > $grid_since and v.visit_date <= $as_of
        and (p.death_date is null or v.visit_date <= p.death_date)
)

select * from final
