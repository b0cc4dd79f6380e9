-- One row per known person with a name: the name and its pinyin, in person order (random
-- pairs of these rows give u of the 'similar' name level).
select p.name_key, np.pinyin
from persons as p
inner join name_pinyin as np using (name_key)
order by p.person_id
