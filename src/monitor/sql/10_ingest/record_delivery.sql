-- Records that file $file_name was in source $source's folder at run $run_id: loaded,
-- skipped (known content, or not read) or failed, with its records and the reason.
insert into deliveries (
    run_id, source, file_name, file_hash, outcome, records, reason, failed_column, failed_value
)
values (
    $run_id, $source, $file_name, $file_hash, $outcome, $records, $reason, $failed_column, $failed_value
)
