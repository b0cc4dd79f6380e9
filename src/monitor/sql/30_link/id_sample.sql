-- One row per person of a sample of $id_sample known persons: the ID and its first 15
-- characters, to measure how crowded the ID space is (u of the ID levels). Ordered by the
-- md5 of the ID and $seed, so that one state and seed give one sample.
select person_id, id_prefix15
from persons
order by md5(person_id || $seed), person_id
limit $id_sample
