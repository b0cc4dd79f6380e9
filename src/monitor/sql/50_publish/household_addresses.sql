-- One row per warned household with an address a caseworker can go to: the 房屋地址 the
-- housing source gives for one of its members (the smallest, when members' differ).
select
    m.household_key,
    min(h.address) as address
from household_members as m
inner join warnings_current as w using (household_key)
inner join linked_housing as h using (person_id)
where h.address is not null and trim(h.address) <> ''
group by m.household_key
