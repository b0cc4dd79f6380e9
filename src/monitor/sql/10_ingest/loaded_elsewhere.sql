-- At most one row: the source and name under which content $file_hash was loaded for a
-- source other than $source (the ledger keeps one source per content).
select source, file_name
from files
where file_hash = $file_hash and source <> $source
