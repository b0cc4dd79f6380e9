-- One row per (source, data quality flag) of the current records, in that order: how many
-- records carry it (a record's flags are ;-separated).
with flags as (
    select source, unnest(string_split(flags, ';')) as flag
    from records_current
    where flags is not null
)

select source, flag, count(*) as records
from flags
group by all
order by source, flag
