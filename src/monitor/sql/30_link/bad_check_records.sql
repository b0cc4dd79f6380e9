-- One row per pending record whose 18-character ID has a wrong check character
-- (bad_check), with the ID as delivered (id_prefix), in record order: the IDs
-- matching.id_typo_variants looks one typo away from (table id_typo_variants).
select source, file_hash, _row, id_prefix
from records_current
where quarantine_reason is null and id_status = 'bad_check'
order by source, file_hash, _row
