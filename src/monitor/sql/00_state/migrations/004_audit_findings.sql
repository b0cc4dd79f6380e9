-- Schema version 4 (2026-12): the supervision sample's findings (monitor audit-sample's
-- county workbooks, checked by another county and returned through monitor feedback).
CREATE TABLE IF NOT EXISTS audit_findings (
    run_id VARCHAR NOT NULL,
    item VARCHAR NOT NULL,
    household_key VARCHAR NOT NULL,
    county VARCHAR,
    township VARCHAR,
    checker_county VARCHAR,
    kind VARCHAR NOT NULL,
    decision VARCHAR,
    decided_on DATE,
    finding VARCHAR NOT NULL,
    checked_on DATE NOT NULL,
    checker VARCHAR,
    note VARCHAR,
    seed VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    workbook_hash VARCHAR
);
