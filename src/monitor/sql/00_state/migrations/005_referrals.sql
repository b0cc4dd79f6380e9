-- Schema version 5 (2026-12): the departments' referral lists (departments/<部门>.xlsx) are
-- kept per run, and the results departments return in them are recorded.
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
