-- Schema version 2 (2026-12): the state keeps the key that signs the township workbooks'
-- protected cells (the feedback import recognises a tampered or foreign workbook by it).
CREATE TABLE IF NOT EXISTS secrets (
    name VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
