-- At most one row: of the sampled records with a usable ID (sampled as proven_names.sql
-- samples them, every source), how many have a phone while their person has a phone on
-- another source's records (phone_n), and how many of those are that phone (phone_hit);
-- likewise townships (town_n, town_hit): m of the phone and township comparisons.
with rec as (
    select source, person_id, phone_norm, township
    from records_current as r
    where quarantine_reason is null and id_status in ('valid', 'repaired')
        and hash(r.file_hash, r._row) % $sample_step = 0
)

select
    count(*) filter (where r.phone_norm is not null and exists (
        select 1 from person_contacts as c
        where c.person_id = r.person_id and c.kind = 'phone' and c.source <> r.source
    )) as phone_n,
    count(*) filter (where r.phone_norm is not null and exists (
        select 1 from person_contacts as c
        where c.person_id = r.person_id and c.kind = 'phone' and c.source <> r.source
            and c.value = r.phone_norm
    )) as phone_hit,
    count(*) filter (where r.township is not null and exists (
        select 1 from person_contacts as c
        where c.person_id = r.person_id and c.kind = 'township' and c.source <> r.source
    )) as town_n,
    count(*) filter (where r.township is not null and exists (
        select 1 from person_contacts as c
        where c.person_id = r.person_id and c.kind = 'township' and c.source <> r.source
            and c.value = r.township
    )) as town_hit
from rec as r
