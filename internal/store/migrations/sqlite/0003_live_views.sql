-- Live views: the dashboard counts unassigned active tickets per
-- department from this partial index, without reading the tickets. With
-- (department, status) it matches the other conditions of the query as
-- well as tickets_department_status_due does, so the planner takes it.
CREATE INDEX tickets_active_unassigned ON tickets (department, status) WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting');
