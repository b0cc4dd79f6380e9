-- One row per (township, county) of households whose township the city's reference list does
-- not know, by township (then county): the county they were placed in and how many households.
select
    township,
    county,
    count(*) as households
from households
where not township_in_reference
group by township, county
order by township, county
