-- One row per (file delivered in run $run_id, Great Expectations expectation) that did not
-- hold, by source, file, expectation and column: how many rows broke it of how many, and
-- whether GX disagreed with the row flags or could not run.
select
    d.source,
    d.file_name,
    v.expectation,
    v.column_name,
    v.unexpected_count,
    v.element_count,
    v.error is not null as has_error
from deliveries as d
inner join validations as v using (file_hash)
where d.run_id = $run_id and not v.success
order by d.source, d.file_name, v.expectation, v.column_name
