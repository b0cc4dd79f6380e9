-- materialized: view
-- One row per record of every source in the current picture (current_files), in one shape:
-- who it is about as read and normalized, and its quarantine reason, flags and version keys.
-- A template: one part per source, from the data contracts. A view: its readers take a few
-- columns each, and storing all of them cost more than reading them again (1M people:
-- link 27.9 -> 24.1 s).
{% for s in sources %}
select
    '{{ s.source }}' as source,
    c.file_hash,
    c._row,
    c.person_id,
    c.id_status,
    c.id_prefix,
    c.{{ s.name_column }} as name,
    c.name_key,
    c.phone_norm,
    {% if s.township_column %}c.{{ s.township_column }}{% else %}cast(null as varchar){% endif %} as township,
    c.quarantine_reason,
    c.flags,
    c.record_hash,
    c.content_hash
from clean_{{ s.source }} as c
inner join current_files as f on f.source = '{{ s.source }}' and f.file_hash = c.file_hash
{% if not loop.last %}
union all
{% endif %}
{% endfor %}
