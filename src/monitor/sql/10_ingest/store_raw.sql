-- Stores a chunk of file $file_hash's records as read (the frame registered as `chunk`) in
-- raw_{{ source.source }}, columns matched by name.
insert into raw_{{ source.source }} by name
select $file_hash as file_hash, *
from chunk
