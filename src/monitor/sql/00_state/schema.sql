-- The state's bookkeeping tables, as the current schema version has them. Source tables
-- (raw_<source>, clean_<source>) are generated from the data contracts by monitor.state.
-- A state made by an earlier version is upgraded by sql/00_state/migrations/ in order.

-- One row per schema version the state has been brought to (the latest is the state's).
CREATE TABLE IF NOT EXISTS schema_versions (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMP NOT NULL,
    note VARCHAR
);

-- One row per run (a rerun of an as-of date replaces the earlier run of that date).
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    as_of DATE NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL,          -- running / completed / failed
    input_dir VARCHAR,
    policy_file VARCHAR,
    policy_hash VARCHAR
);

-- The ingestion ledger: one row per distinct file content ever loaded.
CREATE TABLE IF NOT EXISTS files (
    file_hash VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    size_bytes BIGINT,
    first_run_id VARCHAR,
    records BIGINT NOT NULL,
    title_rows BIGINT NOT NULL,
    blank_rows BIGINT NOT NULL,
    total_rows BIGINT NOT NULL,
    sheet VARCHAR,
    encoding VARCHAR,
    delimiter VARCHAR,
    header_json VARCHAR,
    notes VARCHAR
);

-- One row per loaded file and expectation of its Great Expectations suite.
CREATE TABLE IF NOT EXISTS validations (
    file_hash VARCHAR NOT NULL,
    expectation VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,
    element_count BIGINT NOT NULL,
    unexpected_count BIGINT NOT NULL,
    success BOOLEAN NOT NULL,
    error VARCHAR                     -- the expectation could not be evaluated
);

-- One row per file present in INPUT at a run (loaded now, skipped as known, or failed).
CREATE TABLE IF NOT EXISTS deliveries (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,         -- loaded / skipped / failed
    records BIGINT,                   -- data records (null when the file could not be read)
    reason VARCHAR,
    failed_column VARCHAR,
    failed_value VARCHAR              -- what the reason is about, as read (quarantine.csv)
);

-- Snapshot pictures: which files make up a snapshot source's current picture.
CREATE TABLE IF NOT EXISTS pictures (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL
);

-- Every run's warning list (for 新增/持续 and resolved.csv).
CREATE TABLE IF NOT EXISTS warning_history (
    run_id VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    household_key VARCHAR NOT NULL,
    county VARCHAR,
    township VARCHAR,
    tier VARCHAR NOT NULL,
    codes VARCHAR NOT NULL
);

-- Caseworkers' dispositions of a household's signal.
CREATE TABLE IF NOT EXISTS dispositions (
    household_key VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,         -- 已核实-已救助 / 已核实-不符合条件 / 已核实-已纳入低保 / 无法联系 / 其他
    decided_on DATE NOT NULL,
    tier VARCHAR,
    amount DECIMAL(14,2),
    note VARCHAR,
    recorded_at TIMESTAMP,
    evidence_keys VARCHAR[],          -- source:record_hash of its evidence when decided
    caseworker VARCHAR,               -- 核实人 (a returned workbook)
    issued_run_id VARCHAR,            -- the run whose warning it answers (a workbook's run)
    workbook_hash VARCHAR             -- sha256 of the returned workbook it came from
);

-- One row per (run, household, signal) a run's township workbooks carried: what a
-- disposition returned in such a workbook is recorded against (the run that wrote it,
-- not the state at import time).
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

-- First run that saw a roster household as 退出 (the roster has no exit date).
CREATE TABLE IF NOT EXISTS roster_exits (
    household_key VARCHAR PRIMARY KEY,
    first_seen_as_of DATE NOT NULL
);

-- The state's own secrets: one row per name (workbook_hmac: the key of the township
-- workbooks' row signatures, made once, never leaves the state).
CREATE TABLE IF NOT EXISTS secrets (
    name VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
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

-- One row per finding of the supervision sample (monitor audit-sample: 随机检查、县级互查)
-- returned in a county's audit workbook: the decision checked (its item, W:<household> or
-- D:<household>:<date>, of the sample drawn from run run_id with seed), where it was, what
-- was decided and when, and the checking county's finding (决定正确 / 决定有误 / 无法核实),
-- date, checker and note; the latest finding of an item counts.
CREATE TABLE IF NOT EXISTS audit_findings (
    run_id VARCHAR NOT NULL,
    item VARCHAR NOT NULL,
    household_key VARCHAR NOT NULL,
    county VARCHAR,                   -- the county whose decision was checked
    township VARCHAR,
    checker_county VARCHAR,           -- the county that checked it
    kind VARCHAR NOT NULL,            -- 预警 / 核实结果
    decision VARCHAR,                 -- what was decided, in words
    decided_on DATE,
    finding VARCHAR NOT NULL,
    checked_on DATE NOT NULL,
    checker VARCHAR,
    note VARCHAR,
    seed VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    workbook_hash VARCHAR
);

-- One row per (run, department, household, 救助建议) a run's department lists carried
-- (departments/<部门>.xlsx): what a department's returned result is recorded against.
CREATE TABLE IF NOT EXISTS referrals (
    run_id VARCHAR NOT NULL,
    department VARCHAR NOT NULL,
    household_key VARCHAR NOT NULL,
    recommendation VARCHAR NOT NULL,  -- the 救助建议 as the list says it
    codes VARCHAR,                    -- the signals that give it, ;-separated
    tier VARCHAR,                     -- the highest of their tiers
    member_ids VARCHAR,               -- the members concerned, ;-separated
    county VARCHAR,
    township VARCHAR,
    deadline DATE                     -- the household's 处置时限 in that run
);

-- One row per result a department returned in its list (办理结果), against the run whose
-- list it answers; the latest by 办理日期 then record time holds.
CREATE TABLE IF NOT EXISTS referral_results (
    run_id VARCHAR NOT NULL,
    department VARCHAR NOT NULL,
    household_key VARCHAR NOT NULL,
    recommendation VARCHAR NOT NULL,
    result VARCHAR NOT NULL,          -- 已纳入救助 / 此前已享受 / 不符合条件 / 办理中 / 其他
    decided_on DATE NOT NULL,
    handler VARCHAR,                  -- 经办人
    note VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    workbook_hash VARCHAR
);

-- One row per stage that can keep its tables when its inputs are unchanged (link): the
-- digest of the inputs its tables in the state were computed from, and the run.
CREATE TABLE IF NOT EXISTS stage_inputs (
    stage VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);
