-- One row per (county, township) with a warning in this run, by county name (city_counties;
-- outside the city: 市外) in the order of the codes in force, then township: its warned
-- households by tier (red, orange, yellow, review) and in all.
with warnings as (
    select
        w.tier,
        w.township,
        c.county as county_code,
        coalesce(c.name, '市外') as county
    from warnings_current as w
    left join city_counties as c on c.code = w.county
),

final as (
    select
        county,
        township,
        min(county_code) as county_code,
        count(*) filter (where tier = 'red') as red,
        count(*) filter (where tier = 'orange') as orange,
        count(*) filter (where tier = 'yellow') as yellow,
        count(*) filter (where tier = 'review') as review,
        count(*) as households
    from warnings
    group by county, township
)

select * from final
order by county_code nulls last, county, township
