-- Adds loaded content $file_hash to the ledger: its source, name, size, the run that first
-- loaded it, its record, title, blank and total row counts and how it was read.
insert into files (
    file_hash, source, file_name, size_bytes, first_run_id, records, title_rows, blank_rows,
    total_rows, sheet, encoding, delimiter, header_json, notes
)
values (
    $file_hash, $source, $file_name, $size_bytes, $first_run_id, $records, $title_rows,
    $blank_rows, $total_rows, $sheet, $encoding, $delimiter, $header_json, $notes
)
