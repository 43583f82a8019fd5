package desk

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strings"

	"frist/internal/events"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/routing"
	"frist/internal/store"
	"frist/internal/ticket"
)

// Assignment inside a department (docs/policy.md, "Assignment"): a
// department's strategy hands new tickets, and tickets transferred to it,
// to one of its present agents. Every decision is a history entry by the
// system with the strategy as its reason:
//
//   - field "assignee", to the agent's id, reason "strategy:<name>" when
//     an agent was chosen;
//   - field "assignment", to why nobody was (routing.NonePresent, …),
//     reason "strategy:<name>" when nobody could be: the ticket waits in
//     the department's queue, and agents see why;
//   - field "assignee", to "", reason "transfer" when a transfer takes a
//     ticket from an assignee who may not see the new department.
//
// Manual departments record nothing: agents take tickets from the queue.

// requiredSkills are the skills an assignee of a request needs under
// skill-based assignment: the request type's and the matching rule's.
func requiredSkills(rt *policy.RequestType, routed routing.Decision) []string {
	out := slices.Clone(rt.Skills)
	for _, s := range routed.Skills {
		if !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, s) }) {
			out = append(out, s)
		}
	}
	return out
}

// skillsOf returns the skills a ticket needs under the policy in force:
// its request type's. (A routing rule's skills apply at intake, where the
// rule matched; later the ticket's message is not routed again.)
func skillsOf(p *policy.Policy, t *ticket.Ticket) []string {
	if rt, ok := p.RequestType(t.RequestType); ok {
		return rt.Skills
	}
	return nil
}

// pool reads a department's agents and their loads into a routing.Pool.
// With lock, the department's cursor stays locked until the transaction
// ends (store.LockAssignment), so that concurrent assignments in the
// department take turns; exclude (if not 0) is left out.
func (d *Desk) pool(tx *store.Tx, p *policy.Policy, department string, lock bool, exclude int64) (*routing.Pool, error) {
	dept, ok := p.Department(department)
	if !ok || dept.Assignment == routing.Manual {
		return &routing.Pool{Strategy: routing.Manual}, nil
	}
	pl := &routing.Pool{Strategy: dept.Assignment}
	if lock {
		last, err := tx.LockAssignment(department)
		if err != nil {
			return nil, err
		}
		pl.Cursor = last
	}
	loads, err := tx.FindAgentLoads(department)
	if err != nil {
		return nil, err
	}
	now := tx.Now()
	for _, a := range loads {
		if a.ID == exclude {
			continue
		}
		c := routing.Candidate{ID: a.ID, Present: a.Available, Skills: a.Skills, MaxOpen: a.MaxOpen}
		// Working hours: a calendar the policy no longer has does not
		// restrict (the admin page shows the agent's calendar as unknown).
		if cal, ok := p.Calendar(a.Calendar); ok && a.Calendar != "" && !cal.IsOpen(now) {
			c.Present = false
		}
		for prio, n := range a.Open {
			c.Open += n
			c.Load += n * routing.Weight(prio)
		}
		pl.Candidates = append(pl.Candidates, c)
	}
	return pl, nil
}

// apply carries out one choice on a ticket: it sets the assignee (in
// memory; the caller saves the ticket) and records the decision.
func apply(tx *store.Tx, pl *routing.Pool, t *ticket.Ticket, c routing.Choice) error {
	if c.AgentID == 0 {
		if c.Reason == "" {
			return nil // manual
		}
		return tx.AddChange(&ticket.Change{TicketID: t.ID, Field: "assignment", To: c.Reason, Reason: "strategy:" + string(pl.Strategy)}, "system")
	}
	t.AssigneeID = c.AgentID
	return tx.AddChange(&ticket.Change{TicketID: t.ID, Field: "assignee", To: idText(c.AgentID), Reason: c.Reason}, "system")
}

// assignBatch assigns the new tickets of an intake batch in departments
// with a strategy. It runs after every ticket of the batch is inserted, so
// that the department locks come after the customer rows' locks, and it
// takes them in department order: concurrent batches lock in the same
// order and never deadlock.
func (d *Desk) assignBatch(tx *store.Tx, batch []*submission) error {
	p := d.Policy()
	byDept := map[string][]*submission{}
	for _, s := range batch {
		if dept, ok := p.Department(s.nt.Ticket.Department); ok && dept.Assignment != routing.Manual {
			byDept[dept.ID] = append(byDept[dept.ID], s)
		}
	}
	depts := make([]string, 0, len(byDept))
	for id := range byDept {
		depts = append(depts, id)
	}
	slices.Sort(depts)
	for _, id := range depts {
		pl, err := d.pool(tx, p, id, true, 0)
		if err != nil {
			return err
		}
		// Oldest first within the department, so that turns follow the
		// order of receipt as far as one transaction has one.
		subs := byDept[id]
		slices.SortFunc(subs, func(a, b *submission) int { return cmp.Compare(a.nt.Ticket.ID, b.nt.Ticket.ID) })
		for _, s := range subs {
			t := s.nt.Ticket
			c := pl.Assign(t.Priority, s.skills)
			if err := apply(tx, pl, t, c); err != nil {
				return err
			}
			if c.AgentID != 0 {
				if err := tx.AssignTicket(t.ID, c.AgentID); err != nil {
					return err
				}
			}
		}
		if pl.Cursor != 0 {
			if err := tx.SetAssignmentCursor(id, pl.Cursor); err != nil {
				return err
			}
		}
	}
	return nil
}

// assignTransfer decides the assignee of a ticket just moved to another
// department (t.Department is the new one): the assignee stays if they
// may see the new department; otherwise the ticket is unassigned and the
// new department's strategy assigns it. The caller saves the ticket.
func (d *Desk) assignTransfer(tx *store.Tx, p *policy.Policy, t *ticket.Ticket) error {
	if t.AssigneeID != 0 {
		as, err := tx.FindUser(t.AssigneeID)
		if err != nil && fault.Code(err) != fault.NotFound {
			return err
		}
		if err == nil && !as.Disabled && mayAccess(as, t.Department) {
			return nil
		}
		if err := tx.AddChange(&ticket.Change{TicketID: t.ID, Field: "assignee", From: idText(t.AssigneeID), Reason: "transfer"}, "system"); err != nil {
			return err
		}
		t.AssigneeID = 0
	}
	switch t.Status {
	case ticket.Resolved, ticket.Closed:
		return nil // finished tickets wait for no one
	}
	// Lock the ticket's row before the department's cursor: the SLA sweep
	// holds ticket rows when it reassigns, so this order cannot deadlock.
	if err := tx.AssignTicket(t.ID, 0); err != nil {
		return err
	}
	pl, err := d.pool(tx, p, t.Department, true, 0)
	if err != nil {
		return err
	}
	c := pl.Assign(t.Priority, skillsOf(p, t))
	if err := apply(tx, pl, t, c); err != nil {
		return err
	}
	if c.AgentID != 0 {
		return tx.SetAssignmentCursor(t.Department, pl.Cursor)
	}
	return nil
}

// reassignAfterEscalation hands a ticket an SLA escalation took from its
// assignee to the department's strategy, never back to the same agent;
// under manual assignment it stays unassigned in the department's queue.
// The sweep holds many tickets' rows, of several departments in ticket
// order, so it reads the cursor without locking it and does not move it:
// assignments after escalations need no strict fairness, and taking
// department locks out of order could deadlock with intake.
func (d *Desk) reassignAfterEscalation(tx *store.Tx, t *ticket.Ticket) error {
	stored, err := tx.FindTicket(t.ID)
	if err != nil {
		return err
	}
	p := d.Policy()
	pl, err := d.pool(tx, p, t.Department, false, stored.AssigneeID)
	if err != nil {
		return err
	}
	return apply(tx, pl, t, pl.Assign(t.Priority, skillsOf(p, t)))
}

// SetAvailability switches the agent's presence: absent agents get no new
// tickets and keep the ones they have. An agent who comes back gets, at
// once, waiting unassigned tickets their departments' strategies give
// them.
func (d *Desk) SetAvailability(ctx context.Context, a *Agent, available bool) error {
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		return tx.UpdateUser(a.ID, store.UserUpdate{Available: &available})
	})
	if err != nil || !available {
		return err
	}
	_, err = d.AssignBacklog(ctx, a.Departments)
	return err
}

// AgentUpdate changes an agent's assignment settings and departments;
// nil fields stay as they are.
type AgentUpdate struct {
	Available   *bool
	Skills      *[]string // e.g. ["lang:fr"]; normalised to lower case, duplicates dropped
	MaxOpen     *int      // 0..1000; 0: no cap
	Calendar    *string   // a calendar id of the policy, or "" for around the clock
	Departments *[]string // department ids; empty: all departments
}

// Limits of an agent's assignment settings.
const (
	MaxSkills   = 20
	MaxOpenCap  = 1000
	ErrSkill    = "invalid_skill"    // a skill is not a short lower-case key like lang:fr
	ErrTooMany  = "too_many"         // more skills than MaxSkills
	ErrCapRange = "invalid_max_open" // max_open outside 0..MaxOpenCap
	ErrCalendar = "unknown_calendar" // no such calendar in the policy
	ErrDept     = privacy.ErrOption  // no such department
)

// skillPattern is a skill's syntax: a short lower-case key, e.g. lang:fr.
var skillPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9:._-]{0,39}$`)

// UpdateAgent changes an account's presence, skills, cap, working-hours
// calendar and departments; administrators only. Returns fault.Forbidden
// for others, fault.Invalid listing every bad field (nothing changes
// then), fault.NotFound for an unknown account.
func (d *Desk) UpdateAgent(ctx context.Context, admin *Agent, id int64, u AgentUpdate) (*Agent, error) {
	if !CanAdminister(admin) {
		return nil, fault.Errorf(fault.Forbidden, "Only administrators may do this.")
	}
	p := d.Policy()
	var errs []fault.FieldError
	upd := store.UserUpdate{Available: u.Available, MaxOpen: u.MaxOpen, Calendar: u.Calendar}
	if u.Skills != nil {
		var skills []string
		for _, s := range *u.Skills {
			s = strings.ToLower(strings.TrimSpace(s))
			if s == "" || slices.Contains(skills, s) {
				continue
			}
			if !skillPattern.MatchString(s) {
				errs = append(errs, fault.FieldError{Field: "skills", Message: ErrSkill})
				break
			}
			skills = append(skills, s)
		}
		if len(skills) > MaxSkills {
			errs = append(errs, fault.FieldError{Field: "skills", Message: ErrTooMany})
		}
		upd.Skills = &skills
	}
	if u.MaxOpen != nil && (*u.MaxOpen < 0 || *u.MaxOpen > MaxOpenCap) {
		errs = append(errs, fault.FieldError{Field: "max_open", Message: ErrCapRange})
	}
	if u.Calendar != nil && *u.Calendar != "" && !slices.Contains(p.CalendarIDs(), *u.Calendar) {
		errs = append(errs, fault.FieldError{Field: "calendar", Message: ErrCalendar})
	}
	if u.Departments != nil {
		var depts []string
		for _, dep := range *u.Departments {
			if _, ok := p.Department(dep); !ok {
				errs = append(errs, fault.FieldError{Field: "departments", Message: ErrDept})
				break
			}
			if !slices.Contains(depts, dep) {
				depts = append(depts, dep)
			}
		}
		upd.Departments = &depts
	}
	if len(errs) > 0 {
		return nil, &fault.Error{Code: fault.Invalid, Message: "Please check the highlighted fields.", Fields: errs}
	}
	var out *Agent
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateUser(id, upd); err != nil {
			return err
		}
		var err error
		out, err = tx.FindUser(id)
		return err
	})
	return out, err
}

// AgentPage returns a page of accounts in id order for administrators,
// and the cursor of the next page ("" on the last).
func (d *Desk) AgentPage(ctx context.Context, admin *Agent, cursor string, limit int) ([]*Agent, string, error) {
	if !CanAdminister(admin) {
		return nil, "", fault.Errorf(fault.Forbidden, "Only administrators may do this.")
	}
	var out []*Agent
	var next string
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, next, err = tx.FindUserPage(cursor, limit)
		return err
	})
	return out, next, err
}

// Present reports whether an agent gets new tickets now: available and,
// with a working-hours calendar, within its hours.
func (d *Desk) Present(a *Agent) bool {
	if !a.Available {
		return false
	}
	cal, ok := d.Policy().Calendar(a.Calendar)
	return a.Calendar == "" || !ok || cal.IsOpen(d.Now())
}

// publishAssigned announces automatic assignments after commit.
func (d *Desk) publishAssigned(t *ticket.Ticket) {
	if t.AssigneeID != 0 {
		d.publish(events.KindTicketAssigned, t, map[string]any{"assignee_id": t.AssigneeID})
	}
}
