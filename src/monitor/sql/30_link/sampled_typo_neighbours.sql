-- At most one row: how many known persons are one typo away from a sampled person.
-- _sampled_variants (a frame matching registers) holds the typo variants of the IDs of
-- id_sample.sql, never the ID itself.
select count(*) as persons
from _sampled_variants as v
inner join persons as q on q.person_id = v.variant
