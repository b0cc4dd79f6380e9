-- One row per sampled current record with a usable ID outside the registers of households
-- (the roster, the rural source: the contracts' household_register, whose names persons.sql
-- prefers): the name on it and the name of the person its ID proves, each with its pinyin
-- (m of the name levels: how names of one person differ between sources). The sample keeps
-- the records whose hash of (file, row) is a multiple of $sample_step: not a random draw, so
-- that one state gives one calibration.
select
    r.source,
    r.name_key as rec_name,
    np.pinyin as rec_pinyin,
    p.name_key as cand_name,
    pp.pinyin as cand_pinyin,
    r.phone_norm,
    r.township,
    r.person_id
from records_current as r
inner join source_catalog as s on s.source = r.source
inner join persons as p using (person_id)
left join name_pinyin as np on np.name_key = r.name_key
left join name_pinyin as pp on pp.name_key = p.name_key
where r.quarantine_reason is null and r.id_status in ('valid', 'repaired')
    and not s.household_register and hash(r.file_hash, r._row) % $sample_step = 0
