-- One row per source with current records, by source: how many records linking decided by
-- each method (exact, repaired, fuzzy, review, unmatched, quarantined) and in all.
select
    source,
    count(*) filter (where method = 'exact') as exact,
    count(*) filter (where method = 'repaired') as repaired,
    count(*) filter (where method = 'fuzzy') as fuzzy,
    count(*) filter (where method = 'review') as review,
    count(*) filter (where method = 'unmatched') as unmatched,
    count(*) filter (where method = 'quarantined') as quarantined,
    count(*) as records
from record_links
group by source
order by source
