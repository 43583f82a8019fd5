-- Service levels, assignment and live views.

-- Each ticket's SLA clocks as JSON (sla.State), the policy that set them,
-- and the next moment the breach job must look at the ticket (a warning
-- or a deadline), or 9999-12-31T23:59:59.000000Z when nothing is pending.
ALTER TABLE tickets ADD COLUMN sla_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN sla TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN sla_check_at TEXT NOT NULL DEFAULT '9999-12-31T23:59:59.000000Z';
CREATE INDEX tickets_sla_check ON tickets (sla_check_at, id);
-- Reports select tickets by the period they came in.
CREATE INDEX tickets_created ON tickets (created_at);

-- SLA history: warnings, breaches and escalations. Rows are written once
-- and never changed; a later change of priority or policy adds a new
-- target beside a recorded breach but never removes it.
CREATE TABLE sla_events (
	id         INTEGER PRIMARY KEY,
	ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	department TEXT NOT NULL,
	policy     TEXT NOT NULL,
	target     TEXT NOT NULL, -- first_response, next_response, resolution
	kind       TEXT NOT NULL, -- warning, breach, escalation
	action     TEXT NOT NULL DEFAULT '', -- for escalations: notify_lead, raise_priority, reassign
	due_at     TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX sla_events_ticket ON sla_events (ticket_id, id);
CREATE INDEX sla_events_department ON sla_events (department, created_at);

-- Which rule or strategy made a routing or assignment decision.
ALTER TABLE ticket_changes ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- Assignment: presence, skills, a cap on open tickets (0: none) and the
-- optional working-hours calendar (an id from the policy's calendars).
ALTER TABLE users ADD COLUMN available INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN skills TEXT NOT NULL DEFAULT ''; -- comma-separated, e.g. lang:de,lang:fr
ALTER TABLE users ADD COLUMN max_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN calendar TEXT NOT NULL DEFAULT '';

-- Round-robin position per department. Intake locks the row while it
-- assigns, so that concurrent intakes never pick the same slot.
CREATE TABLE assignment_cursors (
	department   TEXT PRIMARY KEY,
	last_user_id INTEGER NOT NULL DEFAULT 0
);
