-- One row per (county, township) whose decisions a returned supervision sample checked
-- (samples of runs up to $run_id): how many sampled decisions were checked, and how many
-- the checking county confirmed (决定正确), found wrong (决定有误) or could not verify
-- (无法核实), by each item's latest finding (checked date, then record time). By county
-- name (outside the city: 市外, last) in the order of the codes, then township.
with latest as (
    select distinct on (run_id, item) *
    from audit_findings
    where run_id <= $run_id
    order by run_id, item, checked_on desc, recorded_at desc
),

final as (
    select
        coalesce(c.name, '市外') as county,
        coalesce(l.township, '待分派') as township,
        min(c.county) as county_code,
        count(*) as checked,
        count(*) filter (where l.finding = '决定正确') as confirmed,
        count(*) filter (where l.finding = '决定有误') as wrong,
        count(*) filter (where l.finding = '无法核实') as unverified
    from latest as l
    left join city_counties as c on c.code = l.county
    group by 1, 2
)

select * from final
order by county_code nulls last, county, township
