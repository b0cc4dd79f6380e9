-- At most one row: the records of content $file_hash when source $source's ledger holds it
-- (the file was loaded before and is skipped now).
select records
from files
where file_hash = $file_hash and source = $source
