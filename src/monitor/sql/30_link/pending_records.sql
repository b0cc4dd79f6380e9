-- One row per pending record (not quarantined, no usable ID), in record order: its ID status
-- and whether it has a phone and a township (the evidence a person outside the blocks could
-- have been found by).
select
    source,
    file_hash,
    _row,
    id_status,
    phone_norm is not null as has_phone,
    township is not null as has_township
from records_current
where quarantine_reason is null and id_status not in ('valid', 'repaired')
order by source, file_hash, _row
