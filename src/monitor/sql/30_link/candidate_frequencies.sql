-- One row per candidate pair (candidate_pairs), in record then person order, with how many
-- known persons share the record's name, pinyin, phone and township (match_frequencies; 0
-- when none or the record has none).
select
    cp.*,
    coalesce(fn.n, 0) as n_name,
    coalesce(fp.n, 0) as n_pinyin,
    coalesce(fph.n, 0) as n_phone,
    coalesce(ft.n, 0) as n_township
from candidate_pairs as cp
left join match_frequencies as fn on fn.kind = 'name' and fn.value = cp.rec_name
left join match_frequencies as fp on fp.kind = 'pinyin' and fp.value = cp.rec_pinyin
left join match_frequencies as fph on fph.kind = 'phone' and fph.value = cp.rec_phone
left join match_frequencies as ft on ft.kind = 'township' and ft.value = cp.rec_township
order by cp.source, cp.file_hash, cp._row, cp.person_id
