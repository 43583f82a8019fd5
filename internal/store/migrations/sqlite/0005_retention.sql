-- Deletion concept: retention schedules, tags, attachments, legal holds,
-- the deletion log, rule recomputations and the audit trail.

-- Tags agents put on tickets; retention rules may match them.
-- Comma-separated, each enclosed: ",invoice-related,complaint,".
ALTER TABLE tickets ADD COLUMN tags TEXT NOT NULL DEFAULT '';
-- The retention schedule as JSON (privacy.Schedule): the rule that won,
-- its class and action, the dates, and per-field expiry dates.
ALTER TABLE tickets ADD COLUMN retention TEXT NOT NULL DEFAULT '';
-- End of the retention period (earliest deletion) and the end of the
-- tolerated delay (latest deletion); NULL while the start event has not
-- happened (e.g. "90 days after closure" of an open ticket).
ALTER TABLE tickets ADD COLUMN deletion_due TEXT;
ALTER TABLE tickets ADD COLUMN deletion_latest TEXT;
-- Next moment the retention sweeper must look at the ticket: a field
-- expiry, a restriction or the deletion; 9999-12-31T23:59:59.000000Z when
-- nothing is scheduled.
ALTER TABLE tickets ADD COLUMN retention_check_at TEXT NOT NULL DEFAULT '9999-12-31T23:59:59.000000Z';
-- Restricted (GDPR Art. 18): only privacy officers see it, each access is
-- audited. Held: a legal hold suspends every deletion.
ALTER TABLE tickets ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
-- Set when the ticket was anonymised: statistics kept, personal data gone.
ALTER TABLE tickets ADD COLUMN anonymised_at TEXT;
CREATE INDEX tickets_retention_check ON tickets (retention_check_at, id);
-- Deleting a customer checks that no consent record refers to it.
CREATE INDEX consents_customer ON consents (customer_id);
CREATE INDEX tickets_deletion_latest ON tickets (deletion_latest) WHERE deletion_latest IS NOT NULL;

-- Files customers and agents attached. The content lives in the data
-- directory under storage_key; the row holds what the file is.
CREATE TABLE attachments (
	id           INTEGER PRIMARY KEY,
	ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	storage_key  TEXT NOT NULL UNIQUE,
	created_at   TEXT NOT NULL
);
CREATE INDEX attachments_ticket ON attachments (ticket_id, id);
CREATE INDEX attachments_message ON attachments (message_id);

-- Files whose attachment rows are gone but whose content may still be on
-- disk: written in the transaction that deletes the rows, removed once
-- the file is gone, so that a crash in between leaves no orphan.
CREATE TABLE file_deletions (
	storage_key TEXT PRIMARY KEY,
	queued_at   TEXT NOT NULL
);

-- Legal holds on a ticket or on all tickets of a customer. Held data is
-- never deleted; lifting recomputes the dates.
CREATE TABLE legal_holds (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER REFERENCES tickets (id) ON DELETE CASCADE,
	customer_id INTEGER REFERENCES customers (id) ON DELETE CASCADE,
	reason      TEXT NOT NULL,
	placed_by   INTEGER REFERENCES users (id),
	placed_at   TEXT NOT NULL,
	lifted_by   INTEGER REFERENCES users (id),
	lifted_at   TEXT,
	lift_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX legal_holds_ticket ON legal_holds (ticket_id);
CREATE INDEX legal_holds_customer ON legal_holds (customer_id);

-- Deletion log (Löschprotokoll): one row per executed deletion,
-- anonymisation, restriction or expiry of fields. No personal data: the
-- ticket number is a pseudonym once the ticket is gone.
CREATE TABLE deletion_log (
	id           INTEGER PRIMARY KEY,
	pseudonym    TEXT NOT NULL,
	action       TEXT NOT NULL, -- delete, anonymise, restrict, expire_fields
	rule         TEXT NOT NULL,
	rule_version TEXT NOT NULL,
	class        TEXT NOT NULL,
	due_at       TEXT NOT NULL,
	done_at      TEXT NOT NULL,
	removed      TEXT NOT NULL -- JSON counts per kind of data
);
CREATE INDEX deletion_log_done ON deletion_log (done_at, id);

-- Recomputations of deletion dates after a rule change.
CREATE TABLE retention_recomputations (
	id         INTEGER PRIMARY KEY,
	at         TEXT NOT NULL,
	cause      TEXT NOT NULL, -- policy, effective_date
	rules      TEXT NOT NULL, -- fingerprint of the rule versions in force
	examined   INTEGER NOT NULL,
	changed    INTEGER NOT NULL,
	done_at    TEXT
);

-- Audit trail: who saw, changed, exported or deleted what. Pseudonymous
-- ids only; each entry's hash covers the previous one.
CREATE TABLE audit_log (
	id         INTEGER PRIMARY KEY,
	at         TEXT NOT NULL,
	actor_id   INTEGER,
	actor_kind TEXT NOT NULL, -- agent, customer, system
	action     TEXT NOT NULL,
	object     TEXT NOT NULL, -- e.g. ticket:F-100042
	detail     TEXT NOT NULL DEFAULT '',
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object, id);
-- The newest entry's hash; writers lock this row so the chain stays a
-- chain when several nodes write.
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- A deleted message leaves no token behind in the search index: FTS5
-- rewrites the affected index pages instead of writing a tombstone.
INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1);
