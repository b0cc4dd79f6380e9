-- Remembers $as_of as the exit date of every household first seen 退出 in this run (the
-- roster has no exit date of its own; roster_exits keeps the first date seen).
insert into roster_exits
select household_key, $as_of
from households
where status = '退出' and household_key not in (select household_key from roster_exits)
