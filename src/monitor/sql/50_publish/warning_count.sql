-- One row: how many households are warned in this run.
select count(*) as households
from warnings_current
