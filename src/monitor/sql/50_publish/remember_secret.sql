-- Keeps $value as the state's secret called $name, unless it has one already.
insert into secrets
select $name, $value
where not exists (select 1 from secrets where name = $name)
