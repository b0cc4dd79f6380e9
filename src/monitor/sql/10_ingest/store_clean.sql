-- Stores a chunk of file $file_hash's normalized records (the frame registered as `chunk`,
-- made by clean.py) in clean_{{ source.source }}, columns matched by name; a record's key
-- and content texts are stored as their md5 (record_hash, content_hash: stable across
-- versions).
insert into clean_{{ source.source }} by name
select
    $file_hash as file_hash,
    * exclude (_key_text, _content_text),
    md5(_key_text) as record_hash,
    md5(_content_text) as content_hash
from chunk
