-- Core schema: settings, policy, agents, sessions, tokens, customers,
-- tickets, messages, history, consent records and the search index.
-- Timestamps are UTC text in the fixed-width form 2006-01-02T15:04:05.000000Z
-- so that they sort as text.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Every applied policy is kept; the newest is in force.
CREATE TABLE policies (
	id         INTEGER PRIMARY KEY,
	body       TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	applied_at TEXT NOT NULL
);

-- Published privacy notices are never changed: a change is a new version.
CREATE TABLE privacy_notices (
	version      TEXT NOT NULL,
	language     TEXT NOT NULL,
	text         TEXT NOT NULL,
	sha256       TEXT NOT NULL,
	published_at TEXT NOT NULL,
	PRIMARY KEY (version, language)
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL,
	departments   TEXT NOT NULL DEFAULT '', -- comma-separated department ids; empty: all
	password_hash TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	created_at   TEXT NOT NULL
);

CREATE TABLE customers (
	id         INTEGER PRIMARY KEY,
	email      TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	language   TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE tickets (
	id                 INTEGER PRIMARY KEY,
	customer_id        INTEGER NOT NULL REFERENCES customers (id),
	request_type       TEXT NOT NULL,
	department         TEXT NOT NULL,
	status             TEXT NOT NULL,
	priority           TEXT NOT NULL,
	subject            TEXT NOT NULL,
	language           TEXT NOT NULL,
	assignee_id        INTEGER REFERENCES users (id),
	status_hash        TEXT NOT NULL UNIQUE, -- SHA-256 of the customer's status link secret
	notice_version     TEXT NOT NULL,
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL,
	first_response_due TEXT NOT NULL,
	first_response_at  TEXT,
	closed_at          TEXT,
	-- due_at is the next pending deadline, or 9999-12-31T23:59:59.000000Z when
	-- none is pending, so queues sort by one indexed column.
	due_at             TEXT NOT NULL
);
CREATE INDEX tickets_department_status_due ON tickets (department, status, due_at, id);
CREATE INDEX tickets_status_due ON tickets (status, due_at, id);
CREATE INDEX tickets_assignee ON tickets (assignee_id, status, due_at, id);
CREATE INDEX tickets_customer ON tickets (customer_id);
-- The default queue shows active tickets; a partial index serves it sorted.
CREATE INDEX tickets_active_due ON tickets (department, due_at, id) WHERE status IN ('new', 'open', 'waiting');
CREATE INDEX tickets_active_all_due ON tickets (due_at, id) WHERE status IN ('new', 'open', 'waiting');
CREATE INDEX tickets_active_assignee ON tickets (assignee_id, due_at, id) WHERE status IN ('new', 'open', 'waiting');
-- Sorted by age, queues walk tickets of a department in id order.
CREATE INDEX tickets_department_age ON tickets (department, id);

-- Form field values, one row per catalogued attribute the request type declared.
CREATE TABLE ticket_fields (
	ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	field     TEXT NOT NULL,
	value     TEXT NOT NULL,
	PRIMARY KEY (ticket_id, field)
);

CREATE TABLE messages (
	id         INTEGER PRIMARY KEY,
	ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	visibility TEXT NOT NULL,
	author     TEXT NOT NULL,
	agent_id   INTEGER REFERENCES users (id),
	body       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_id, id);

-- History: who changed which attribute from what to what. Values are ids
-- and enum values, never free text.
CREATE TABLE ticket_changes (
	id         INTEGER PRIMARY KEY,
	ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	actor_id   INTEGER REFERENCES users (id),
	actor_kind TEXT NOT NULL, -- agent, customer, system
	field      TEXT NOT NULL,
	from_value TEXT NOT NULL,
	to_value   TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX ticket_changes_ticket ON ticket_changes (ticket_id, id);

-- Consent records are written once and never updated.
CREATE TABLE consents (
	id             INTEGER PRIMARY KEY,
	ticket_id      INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	customer_id    INTEGER NOT NULL REFERENCES customers (id),
	notice_version TEXT NOT NULL,
	notice_sha256  TEXT NOT NULL,
	language       TEXT NOT NULL,
	accepted       INTEGER NOT NULL,
	legal_basis    TEXT NOT NULL,
	created_at     TEXT NOT NULL
);
CREATE INDEX consents_ticket ON consents (ticket_id);

CREATE TABLE consent_purposes (
	consent_id INTEGER NOT NULL REFERENCES consents (id) ON DELETE CASCADE,
	purpose    TEXT NOT NULL,
	granted    INTEGER NOT NULL,
	PRIMARY KEY (consent_id, purpose)
);

-- Full-text index over subjects and messages. Contentless: it holds only
-- the index, never a copy of the text; rowid is the message id.
CREATE VIRTUAL TABLE message_search USING fts5 (
	subject, body,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2'
);
