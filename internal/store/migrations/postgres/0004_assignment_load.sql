-- Assignment reads each agent's active tickets per priority (their load)
-- for every intake batch; with the priority in a partial index the count
-- reads the index only, not one table row per open ticket (status is in
-- it so that the join condition needs no row either).
CREATE INDEX tickets_active_assignee_priority ON tickets (assignee_id, priority, status) WHERE status IN ('new', 'open', 'waiting');
