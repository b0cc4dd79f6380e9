-- Schema version 3 (2026-12): dispositions returned in township workbooks keep who verified,
-- the run whose warning they answer and the workbook they came from; each run keeps the
-- signals its workbooks carried, which such a disposition is recorded against.
ALTER TABLE dispositions ADD COLUMN IF NOT EXISTS caseworker VARCHAR;
ALTER TABLE dispositions ADD COLUMN IF NOT EXISTS issued_run_id VARCHAR;
ALTER TABLE dispositions ADD COLUMN IF NOT EXISTS workbook_hash VARCHAR;
CREATE TABLE IF NOT EXISTS issued_signals (
    run_id VARCHAR NOT NULL,
    household_key VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    tier VARCHAR,
    amount DECIMAL(14,2),
    evidence_keys VARCHAR[],
    county VARCHAR,
    township VARCHAR,
    deadline DATE                     -- the household's 处置时限 in that run
);

-- One row per identity decision the bureau's data staff returned in review.xlsx: the record
-- (its source and record_hash, stable across re-deliveries), the candidate person, and
-- whether they are the same person; linking follows the latest decision of a pair.
CREATE TABLE IF NOT EXISTS review_decisions (
    source VARCHAR NOT NULL,
    record_hash VARCHAR NOT NULL,
    candidate_id VARCHAR NOT NULL,
    same_person BOOLEAN NOT NULL,
    note VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    workbook_hash VARCHAR
);
