-- One row: the state's schema version (null for a state made before versions were kept).
select max(version) as version
from schema_versions
