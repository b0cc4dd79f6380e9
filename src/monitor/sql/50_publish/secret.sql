-- At most one row: the state's secret called $name.
select value
from secrets
where name = $name
