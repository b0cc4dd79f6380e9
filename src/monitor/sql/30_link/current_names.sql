-- One row per normalized name (name_key) on a current record: the names matching spells in
-- pinyin (table name_pinyin).
select distinct name_key
from records_current
where name_key is not null
