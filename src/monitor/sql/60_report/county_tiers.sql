-- One row per county with a warning in this run, by name (city_counties: an ID's county code,
-- former ones included, to its county in force), in the order of the codes in force with the
-- counties outside the city last as one 市外: its warned households by tier and in all.
with warnings as (
    select
        w.tier,
        c.county as county_code,
        coalesce(c.name, '市外') as county
    from warnings_current as w
    left join city_counties as c on c.code = w.county
),

final as (
    select
        county,
        min(county_code) as county_code,
        count(*) filter (where tier = 'red') as red,
        count(*) filter (where tier = 'orange') as orange,
        count(*) filter (where tier = 'yellow') as yellow,
        count(*) filter (where tier = 'review') as review,
        count(*) as households
    from warnings
    group by county
)

select * from final
order by county_code nulls last, county
