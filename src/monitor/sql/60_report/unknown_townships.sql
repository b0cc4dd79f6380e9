-- One row per (township, county) of households whose township the city's reference list does
-- not know, by township (then county name): the county they were placed in, by name
-- (city_counties; outside the city: 市外), and how many households.
with unknown as (
    select
        h.township,
        coalesce(c.name, '市外') as county
    from households as h
    left join city_counties as c on c.code = h.county
    where not h.township_in_reference
),

final as (
    select
        township,
        county,
        count(*) as households
    from unknown
    group by township, county
)

select * from final
order by township, county
