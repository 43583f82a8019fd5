package web

import (
	"frist/internal/desk"
	"frist/internal/sla"
)

// slaTargetView is one SLA target on the ticket page.
type slaTargetView struct {
	Name        string // translated target name
	Due         string
	Status      string // met, late, breached, paused, running
	StatusText  string
	Done        string // when it ended, or ""
	BreachedDue string // the missed deadline, when it differs from Due
	Warned      bool
}

// slaEventView is one entry of the SLA history on the ticket page.
type slaEventView struct {
	At   string
	Text string
}

// setSLA fills the SLA panel: the policy, each target with its deadline
// and state, and the history of warnings, breaches and escalations. A
// breach stays visible beside a later, different deadline.
func (pg *ticketPage) setSLA(v *desk.TicketView) {
	s := v.Ticket.SLA
	if s == nil {
		return
	}
	pg.SLAPolicy = s.Policy
	pg.SLAPaused = s.Paused()
	for _, t := range sla.Targets {
		c := s.Clock(t)
		if c == nil {
			continue
		}
		tv := slaTargetView{Name: pg.T("sla_target_" + string(t)), Due: pg.Date(c.Due), Status: s.ClockStatus(c), Warned: c.Warned}
		tv.StatusText = pg.T("sla_state_" + tv.Status)
		if !c.Done.IsZero() {
			tv.Done = pg.Date(c.Done)
		}
		if c.Breached && !c.BreachedDue.Equal(c.Due) {
			tv.BreachedDue = pg.Date(c.BreachedDue)
		}
		pg.SLATargets = append(pg.SLATargets, tv)
	}
	for _, e := range v.SLA {
		text := pg.T("sla_event_"+e.Kind) + ": " + pg.T("sla_target_"+string(e.Target))
		if e.Action != "" {
			text += " – " + pg.T("sla_action_"+e.Action)
		}
		text += " (" + pg.Tf("sla_event_due", pg.Date(e.Due)) + ")"
		pg.SLAHistory = append(pg.SLAHistory, slaEventView{At: pg.Date(e.CreatedAt), Text: text})
	}
}
