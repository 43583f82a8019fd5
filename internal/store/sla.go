package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"frist/internal/sla"
	"frist/internal/ticket"
)

// slaColumns returns what the tickets table keeps of a ticket's SLA: the
// next deadline for queue order, the policy id, the clocks as JSON and
// when the breach job must next look. Tickets without SLA state keep the
// first-response deadline of the core.
func slaColumns(t *ticket.Ticket) (due, policy, state, check string) {
	due, check = noDeadline, noDeadline
	if t.SLA == nil {
		if t.FirstResponseAt.IsZero() && !t.FirstResponseDue.IsZero() && t.Status != ticket.Closed && t.Status != ticket.Resolved {
			due = fmtTime(t.FirstResponseDue)
		}
		return due, "", "", check
	}
	if d := t.SLA.Due(); !d.IsZero() {
		due = fmtTime(d)
	}
	if c := t.SLA.CheckAt(); !c.IsZero() {
		check = fmtTime(c)
	}
	b, err := json.Marshal(t.SLA)
	if err != nil {
		panic(fmt.Sprintf("store: marshal SLA state: %v", err)) // plain data; cannot fail
	}
	return due, t.SLA.Policy, string(b), check
}

// scanSLA scans the sla column: "" means no SLA state.
func scanSLA(dst **sla.State) sql.Scanner { return slaScanner{dst} }

type slaScanner struct{ dst **sla.State }

func (s slaScanner) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case nil:
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		return fmt.Errorf("sla column: unexpected %T", v)
	}
	if len(b) == 0 {
		*s.dst = nil
		return nil
	}
	st := &sla.State{}
	if err := json.Unmarshal(b, st); err != nil {
		return fmt.Errorf("sla column: %w", err)
	}
	*s.dst = st
	return nil
}

// SLAEvent is one entry of the SLA history: a warning, a breach or an
// escalation. Entries are written once and never changed.
type SLAEvent struct {
	ID         int64
	TicketID   int64
	Department string
	Policy     string
	Target     sla.Target
	Kind       string // sla.KindWarning, sla.KindBreach, KindEscalation
	Action     string // for escalations: notify_lead, raise_priority, reassign
	Due        time.Time
	CreatedAt  time.Time
}

// KindEscalation is the SLAEvent kind of an escalation action.
const KindEscalation = "escalation"

// AddSLAEvent records an SLA warning, breach or escalation.
func (tx *Tx) AddSLAEvent(e *SLAEvent) error {
	e.CreatedAt = tx.now
	return tx.queryRow(`INSERT INTO sla_events (ticket_id, department, policy, target, kind, action, due_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.TicketID, e.Department, e.Policy, string(e.Target), e.Kind, e.Action,
		fmtTime(e.Due), fmtTime(tx.now)).Scan(&e.ID)
}

// FindSLAEvents returns a ticket's SLA history, oldest first.
func (tx *Tx) FindSLAEvents(ticketID int64) ([]SLAEvent, error) {
	rows, err := tx.query(`SELECT id, ticket_id, department, policy, target, kind, action, due_at, created_at
		FROM sla_events WHERE ticket_id = ? ORDER BY id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SLAEvent
	for rows.Next() {
		var e SLAEvent
		if err := rows.Scan(&e.ID, &e.TicketID, &e.Department, &e.Policy, &e.Target, &e.Kind, &e.Action, scanTime(&e.Due), scanTime(&e.CreatedAt)); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DueSLAChecks returns up to limit tickets whose SLA needs a look at now
// (a warning or a deadline has come), earliest first, locked for this
// transaction. On PostgreSQL rows another transaction holds are skipped,
// so that two sweeps never handle the same ticket. The query walks the
// tickets_sla_check index: its cost grows with the tickets due, not with
// all tickets.
func (tx *Tx) DueSLAChecks(now time.Time, limit int) ([]*ticket.Ticket, error) {
	rows, err := tx.query(dueSLAQuery(tx.d), fmtTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due SLA checks: %w", err)
	}
	defer rows.Close()
	var out []*ticket.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func dueSLAQuery(d *dialect) string {
	return `SELECT ` + ticketColumns + ticketFrom + `WHERE t.id IN (SELECT id FROM tickets
		WHERE sla_check_at <= ? ORDER BY sla_check_at, id LIMIT ?` + d.skipLocked + `) ORDER BY t.sla_check_at, t.id`
}

// ExplainDueSLAChecks returns the query plan of DueSLAChecks, for tests
// that hold the breach job to its index. On PostgreSQL sequential scans
// are switched off for the explanation, since a test's tiny table would
// not show the plan a large one gets.
func (db *DB) ExplainDueSLAChecks(ctx context.Context, now time.Time, limit int) (string, error) {
	var out []string
	err := db.Write(ctx, func(tx *Tx) error {
		explain := `EXPLAIN QUERY PLAN `
		if db.dialect == postgresDialect {
			explain = `EXPLAIN `
			if _, err := tx.exec(`SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		rows, err := tx.tx.QueryContext(ctx, db.dialect.rebind(explain+dueSLAQuery(db.dialect)), fmtTime(now), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			out = append(out, fmt.Sprint(vals[len(vals)-1]))
		}
		return rows.Err()
	})
	return strings.Join(out, "\n"), err
}
