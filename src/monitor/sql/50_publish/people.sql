-- materialized: view
-- One row per person with a current record whose ID is valid or repaired: a name and a phone
-- the workbooks show beside the masked ID (the smallest of each across the person's records).
select
    person_id,
    min(name) as name,
    min(phone_norm) as phone
from records_current
where person_id is not null and id_status in ('valid', 'repaired')
group by person_id
