package store

import (
	"database/sql"
	"encoding/json"
	"fmt"

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
