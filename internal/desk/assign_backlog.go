package desk

import (
	"context"
	"slices"

	"frist/internal/events"
	"frist/internal/routing"
	"frist/internal/store"
	"frist/internal/ticket"
)

// backlogBatch bounds how many waiting tickets one run assigns per
// department.
const backlogBatch = 200

// AssignBacklog hands tickets that wait unassigned in departments with a
// strategy to agents who can take them now: an agent came back, working
// hours began, or a capped agent closed tickets. Earliest deadline first.
// Tickets nobody can take stay as they are, without a new history entry.
// It is a periodic job, on one node of a cluster at a time, and also runs
// when an agent marks themselves present. It returns how many tickets it
// assigned.
//
// Lock order: the waiting tickets' rows first (skipping rows others
// hold), then the department's cursor — the order transfers use; intake's
// new tickets are invisible to it until they commit.
func (d *Desk) AssignBacklog(ctx context.Context, departments []string) (int, error) {
	p := d.Policy()
	var ids []string
	for _, dept := range p.Departments {
		if dept.Assignment != routing.Manual && (departments == nil || slices.Contains(departments, dept.ID)) {
			ids = append(ids, dept.ID)
		}
	}
	slices.Sort(ids)
	total := 0
	for _, id := range ids {
		var assigned []*ticket.Ticket
		err := d.db.Write(ctx, func(tx *store.Tx) error {
			assigned = assigned[:0]
			// Cheap check first: no one present with room, nothing to do.
			pl, err := d.pool(tx, p, id, false, 0)
			if err != nil || !hasRoom(pl) {
				return err
			}
			waiting, err := tx.UnassignedTickets(id, backlogBatch)
			if err != nil || len(waiting) == 0 {
				return err
			}
			if pl, err = d.pool(tx, p, id, true, 0); err != nil {
				return err
			}
			for _, t := range waiting {
				c := pl.Assign(t.Priority, skillsOf(p, t))
				if c.AgentID == 0 {
					continue
				}
				if err := apply(tx, pl, t, c); err != nil {
					return err
				}
				if err := tx.AssignTicket(t.ID, c.AgentID); err != nil {
					return err
				}
				assigned = append(assigned, t)
				if !hasRoom(pl) {
					break
				}
			}
			if len(assigned) > 0 && pl.Cursor != 0 {
				return tx.SetAssignmentCursor(id, pl.Cursor)
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += len(assigned)
		for _, t := range assigned {
			d.publish(events.KindTicketAssigned, t, map[string]any{"assignee_id": t.AssigneeID})
		}
	}
	return total, nil
}

// hasRoom reports whether some agent of the pool is present and below
// their cap.
func hasRoom(pl *routing.Pool) bool {
	for _, c := range pl.Candidates {
		if c.Present && (c.MaxOpen == 0 || c.Open < c.MaxOpen) {
			return true
		}
	}
	return false
}
