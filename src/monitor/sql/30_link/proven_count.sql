-- At most one row: how many current records carry a usable ID (valid or repaired): the
-- records m is estimated on, of which matching samples about M_SAMPLE.
select count(*) as records
from records_current
where quarantine_reason is null and id_status in ('valid', 'repaired')
