-- One row per linking method (exact, repaired, fuzzy, review, unmatched, quarantined):
-- how many current records it decided.
select
    method,
    count(*) as records
from record_links
group by method
order by method
