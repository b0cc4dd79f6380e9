-- One row per file delivered in run $run_id that failed as a whole (no row) and per
-- quarantined record of its other files (quarantine.csv), with the reason and the value as
-- read, at most 200 characters: a failed file's header cells or the value its reason is
-- about; a record's ID and name cells from the raw layer ("<ID> / <name>", the column named
-- likewise), or the field beyond the reader's size limit (the flag $field_too_large:<column>)
-- and that column's label. contract_columns (a frame from the data contracts) labels the
-- columns. In the sources' canonical order, file, row (a failed file first). A template: one
-- part per source, from the data contracts.
with delivered as (
    select * from deliveries where run_id = $run_id
),

files_failed as (
    select
        source,
        file_name as file,
        cast(null as bigint) as row,
        reason,
        coalesce(failed_column, '') as "column",
        substring(coalesce(failed_value, ''), 1, 200) as value
    from delivered
    where outcome = 'failed'
),

quarantined as (
    select
        d.source,
        d.file_name,
        r.file_hash,
        r._row,
        r.quarantine_reason,
        coalesce(regexp_extract(r.flags, $field_too_large || ':(\w+)', 1), '') as big
    from delivered as d
    inner join records_current as r on r.source = d.source and r.file_hash = d.file_hash
    where d.outcome <> 'failed' and r.quarantine_reason is not null
),

records_failed as (
{% for s in sources %}
    select
        q.source,
        q.file_name as file,
        q._row as row,
        q.quarantine_reason as reason,
        case q.big
            when '' then id_label.label || ' / ' || name_label.label
            when '_extra' then '其他列（_extra）'
            else coalesce(big_label.label, q.big)
        end as "column",
        substring(coalesce(case q.big
            when '' then
                case
                    when trim(coalesce(raw.{{ s.id_column }}, '') || coalesce(raw.{{ s.name_column }}, '')) = '' then ''
                    else coalesce(raw.{{ s.id_column }}, '') || ' / ' || coalesce(raw.{{ s.name_column }}, '')
                end
            when '_extra' then raw._extra
            -- the raw record's field named by the flag
            else json_extract_string(to_json(raw), q.big)
        end, ''), 1, 200) as value
    from quarantined as q
    left join raw_{{ s.source }} as raw on raw.file_hash = q.file_hash and raw._row = q._row
    left join contract_columns as id_label
        on id_label.source = q.source and id_label.column_name = '{{ s.id_column }}'
    left join contract_columns as name_label
        on name_label.source = q.source and name_label.column_name = '{{ s.name_column }}'
    left join contract_columns as big_label
        on big_label.source = q.source and big_label.column_name = q.big
    where q.source = '{{ s.source }}'
{% if not loop.last %}
    union all
{% endif %}
{% endfor %}
)

select * from files_failed
union all
select * from records_failed
order by
    list_position([{% for s in sources %}'{{ s.source }}'{{ ", " if not loop.last }}{% endfor %}], source),
    file,
    row nulls first
