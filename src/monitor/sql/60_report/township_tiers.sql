-- One row per (county, township) with a warning in this run, in that order: its warned
-- households by tier (red, orange, yellow, review) and in all.
select
    county,
    township,
    count(*) filter (where tier = 'red') as red,
    count(*) filter (where tier = 'orange') as orange,
    count(*) filter (where tier = 'yellow') as yellow,
    count(*) filter (where tier = 'review') as review,
    count(*) as households
from warnings_current
group by county, township
order by county, township
