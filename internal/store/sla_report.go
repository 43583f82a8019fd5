package store

import (
	"fmt"
	"time"

	"frist/internal/ticket"
)

// SLATicket is what the SLA report needs of one ticket: no content, no
// customer, no agent.
type SLATicket struct {
	Department      string
	Status          ticket.Status
	CreatedAt       time.Time
	FirstResponseAt time.Time // zero until answered
	// FirstResponseLate: a first-response breach was recorded, or the
	// answer came after the promised deadline.
	FirstResponseLate bool
	ResolutionLate    bool // a resolution breach was recorded
}

// SLATickets returns the tickets received in [from, to) of the
// departments (nil: all), for the SLA report. It reads the created_at
// index and each ticket's SLA history through its index.
func (tx *Tx) SLATickets(from, to time.Time, departments []string) ([]SLATicket, error) {
	q := `SELECT t.department, t.status, t.created_at, t.first_response_at,
		(t.first_response_at > t.first_response_due OR EXISTS (SELECT 1 FROM sla_events e WHERE e.ticket_id = t.id AND e.kind = 'breach' AND e.target = 'first_response')),
		EXISTS (SELECT 1 FROM sla_events e WHERE e.ticket_id = t.id AND e.kind = 'breach' AND e.target = 'resolution')
		FROM tickets t WHERE t.created_at >= ? AND t.created_at < ?`
	args := []any{fmtTime(from), fmtTime(to)}
	if departments != nil {
		if len(departments) == 0 {
			return nil, nil
		}
		q += ` AND t.department IN (` + placeholders(len(departments)) + `)`
		for _, d := range departments {
			args = append(args, d)
		}
	}
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("sla tickets: %w", err)
	}
	defer rows.Close()
	var out []SLATicket
	for rows.Next() {
		var s SLATicket
		var late, resLate *bool
		if err := rows.Scan(&s.Department, &s.Status, scanTime(&s.CreatedAt), scanTime(&s.FirstResponseAt), &late, &resLate); err != nil {
			return nil, err
		}
		s.FirstResponseLate = late != nil && *late
		s.ResolutionLate = resLate != nil && *resLate
		out = append(out, s)
	}
	return out, rows.Err()
}
