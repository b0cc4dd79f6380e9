-- At most one row: how many (sampled person, other known person) pairs share a 15-character
-- prefix. _sampled_prefixes (a frame matching registers) holds, per sampled person of
-- id_sample.sql, the first 15 characters of the ID and, when they are digits, the next
-- number (Excel's rounding up), as p.
select count(*) as pairs
from _sampled_prefixes as s
inner join persons as q on q.id_prefix15 = s.p
where q.person_id <> s.person_id
