-- Schema version 1 (2026-12): a failed delivery keeps the value read; a disposition keeps the keys of the evidence it was taken on,
-- so that an event signal is judged worse only on a record outside them. Dispositions made
-- before keep no keys (null): for them a record first delivered after the decision is new.
-- (clean_<source>.content_hash is added by monitor.state from the contracts, like every
-- contract column a state lacks.)
ALTER TABLE dispositions ADD COLUMN IF NOT EXISTS evidence_keys VARCHAR[];
-- A failed file's delivery keeps the header cells or value its reason is about, as read.
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS failed_value VARCHAR;
