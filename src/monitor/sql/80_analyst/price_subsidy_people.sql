-- One row per person eligible for the 价格临时补贴 of the month that starts on $month_start,
-- as the state stood at run $run_id (monitor price-subsidy): every member of a roster
-- household whose head's row says 低保 or 特困 and 在保 or 渐退, and every person whose HR
-- record says 是否领取失业保险金 = 是, in the roster's and HR's pictures at that run (each
-- source's latest picture delivered at or before it); each person once, with every category
-- they are in (低保;特困;失业保险金).
-- Who a record is about: linking's person where the record is current, else the clean
-- layer's ID. A person's household is their roster household (the smallest 家庭编号, as in
-- household_members); an HR person's record is their first (as hr_current). The area
-- (城市/农村) is the roster household's 城乡类别; for an HR recipient on no roster, the area of
-- the county that issued their ID (county_areas: the policy's price_link.county_area, a
-- former code counting as its successor), else $other_area. The amount: that area's 低保标准
-- ($standard_urban, $standard_rural) × $rise per cent, rounded to $decimals places.
-- Routing: the roster head's (or the HR record's) township, its county in the city's list,
-- else the ID's county. A member whose death (health) is dated before the month is left out.
-- An eligible record about nobody (no usable ID, not linked) is a row with a null
-- person_id, one per record (the summary counts them; they are paid after their ID is
-- checked). By county, township, household, person.
with pictures_until as (
    select * from pictures where run_id <= $run_id and source in ('roster', 'hr')
),

latest_pictures as (
    select source, max(run_id) as run_id from pictures_until group by source
),

picture_files as (
    select distinct p.source, p.file_hash
    from pictures_until as p
    inner join latest_pictures as l using (source, run_id)
),

roster_rows as (
    select
        coalesce(l.person_id, c.person_id) as who,
        c.household_no,
        c.member_name,
        c.relation,
        c.township,
        c.village,
        c.urban_rural,
        c.category,
        c.status,
        c.file_hash,
        c._row
    from clean_roster as c
    inner join picture_files as f on f.source = 'roster' and f.file_hash = c.file_hash
    left join record_links as l
        on l.source = 'roster' and l.file_hash = c.file_hash and l._row = c._row
    where c.quarantine_reason is null and c.household_no is not null
),

heads as (
    select distinct on (household_no)
        household_no, category, status, urban_rural, township, village
    from roster_rows
    order by
        household_no, case when relation = '本人' then 0 else 1 end, who nulls last, file_hash, _row
),

-- each person's roster household (the smallest 家庭编号) and their name on its row
roster_person as (
    select distinct on (who) who as person_id, household_no, member_name as name
    from roster_rows
    where who is not null
    order by who, household_no, file_hash, _row
),

eligible_households as (
    select * from heads where category in ('低保', '特困') and status in ('在保', '渐退')
),

hr_rows as (
    select
        coalesce(l.person_id, c.person_id) as who,
        c.person_name,
        c.township,
        c.unemployment_benefit,
        c.file_hash,
        c._row
    from clean_hr as c
    inner join picture_files as f on f.source = 'hr' and f.file_hash = c.file_hash
    left join record_links as l
        on l.source = 'hr' and l.file_hash = c.file_hash and l._row = c._row
    where c.quarantine_reason is null
),

hr_person as (
    select distinct on (who) who as person_id, person_name as name, township, unemployment_benefit
    from hr_rows
    where who is not null
    order by who, file_hash, _row
),

deaths as (
    select distinct person_id
    from linked_health
    where person_id is not null and death_date < cast($month_start as date)
),

memberships as (
    select r.person_id, h.category, case h.category when '低保' then 1 else 2 end as rank
    from roster_person as r
    inner join eligible_households as h using (household_no)
    union all
    select person_id, '失业保险金' as category, 3 as rank
    from hr_person
    where unemployment_benefit = '是'
),

per_person as (
    select person_id, string_agg(category, ';' order by rank) as categories
    from memberships
    where person_id not in (select person_id from deaths)
    group by person_id
),

id_county as (
    select code, county from city_counties
),

identified as (
    select
        p.person_id,
        coalesce(r.name, hr.name) as name,
        p.categories,
        r.household_no as household_key,
        coalesce(h.township, hr.township) as township,
        h.village,
        coalesce(h.urban_rural, ca.area, $other_area) as area,
        case
            when h.urban_rural is not null then '城乡类别'
            when ca.area is not null then '身份证号所属区县'
            else '其他地区身份证号'
        end as area_from,
        coalesce(ic.county, substr(p.person_id, 1, 6)) as id_county
    from per_person as p
    left join roster_person as r using (person_id)
    left join heads as h on h.household_no = r.household_no
    left join hr_person as hr using (person_id)
    left join id_county as ic on ic.code = substr(p.person_id, 1, 6)
    left join county_areas as ca on ca.county = coalesce(ic.county, substr(p.person_id, 1, 6))
),

-- eligible records that name nobody: one row each
unidentified as (
    select
        cast(null as varchar) as person_id,
        r.member_name as name,
        h.category as categories,
        r.household_no as household_key,
        h.township,
        h.village,
        h.urban_rural as area,
        '城乡类别' as area_from,
        cast(null as varchar) as id_county
    from roster_rows as r
    inner join eligible_households as h using (household_no)
    where r.who is null
    union all
    select
        cast(null as varchar) as person_id,
        person_name as name,
        '失业保险金' as categories,
        cast(null as varchar) as household_key,
        township,
        cast(null as varchar) as village,
        $other_area as area,
        '其他地区身份证号' as area_from,
        cast(null as varchar) as id_county
    from hr_rows
    where who is null and unemployment_benefit = '是'
),

everyone as (
    select * from identified
    union all
    select * from unidentified
),

final as (
    select
        e.person_id,
        e.name,
        e.categories,
        e.household_key,
        coalesce(t.county, e.id_county) as county,
        coalesce(e.township, '待分派') as township,
        e.village,
        e.area,
        e.area_from,
        cast(case when e.area = '城市' then $standard_urban else $standard_rural end as decimal(14, 2))
            as standard,
        cast(round(
            cast(case when e.area = '城市' then $standard_urban else $standard_rural end as decimal(14, 2))
                * cast($rise as decimal(9, 4)) / 100,
            $decimals
        ) as decimal(14, 2)) as amount
    from everyone as e
    left join city_townships as t on t.township = e.township
)

select * from final
order by county nulls last, township, household_key nulls last, person_id nulls last, name
