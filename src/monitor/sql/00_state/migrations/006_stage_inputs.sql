-- Schema version 6 (2026-12): a stage whose inputs are unchanged since its last completed
-- run keeps its tables (linking, on a night with no new file).
-- One row per stage: the digest of the inputs its tables in the state were computed from.
CREATE TABLE IF NOT EXISTS stage_inputs (
    stage VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);
