-- Forgets the exit date of every household the roster no longer shows as 退出 (back on the
-- rolls, or gone from the roster).
delete from roster_exits
where household_key not in (select household_key from households where status = '退出')
