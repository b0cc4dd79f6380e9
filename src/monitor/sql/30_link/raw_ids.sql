-- materialized: view
-- One row per record ever read, of every source: the ID cell exactly as the export gave it
-- (the quarantine and review lists show what was read). A template: one part per source.
{% for s in sources %}
select '{{ s.source }}' as source, file_hash, _row, {{ s.id_column }} as id_text
from raw_{{ s.source }}
{% if not loop.last %}
union all
{% endif %}
{% endfor %}
