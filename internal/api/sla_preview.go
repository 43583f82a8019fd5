package api

import (
	"time"

	"frist/internal/desk"
	"frist/internal/sla"
	"frist/internal/ticket"
)

// slaPreviewJSON is the service level a ticket gets when received at a
// moment: the covering SLA policy, its calendar and each target's
// deadline. Times are in the calendar's time zone.
type slaPreviewJSON struct {
	RequestType string           `json:"request_type"`
	Department  string           `json:"department"`
	Priority    ticket.Priority  `json:"priority"`
	At          string           `json:"at"`
	Policy      slaPolicyRefJSON `json:"policy"`
	Calendar    string           `json:"calendar"`
	TimeZone    string           `json:"time_zone"`
	WarnAt      int              `json:"warn_at"`
	Open        bool             `json:"open"`
	NextOpen    string           `json:"next_open"`
	Targets     []slaTargetJSON  `json:"targets"`
}

// slaPolicyRefJSON names an SLA policy. A ticket no declared policy
// covers gets "request_type:<id>": its request type's first_response
// around the clock.
type slaPolicyRefJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// slaTargetJSON is one target with its deadline and warning time.
type slaTargetJSON struct {
	Target   sla.Target `json:"target"`
	Duration string     `json:"duration"`
	From     string     `json:"from"` // "receipt" or "customer_reply"
	Start    string     `json:"start"`
	Due      string     `json:"due"`
	Warn     string     `json:"warn"`
}

// slaPreview answers GET /api/v1/sla/preview: which SLA policy covers a
// ticket received at ?at= (RFC 3339, default now) with ?request_type=,
// ?priority= and ?department= (both default the request type's), and its
// deadlines. Administrators only; nothing is stored.
func (a *API) slaPreview(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "request_type", "priority", "department", "at"); err != nil {
		return nil, err
	}
	pv, err := a.desk.PreviewSLA(c.agent, desk.SLAQuestion{RequestType: q.Get("request_type"), Priority: q.Get("priority"), Department: q.Get("department"), At: q.Get("at")})
	if err != nil {
		return nil, err
	}
	return newSLAPreviewJSON(pv), nil
}

func newSLAPreviewJSON(pv *desk.Preview) slaPreviewJSON {
	sl := pv.SLA
	loc := sl.Calendar.Location()
	in := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	out := slaPreviewJSON{
		RequestType: pv.RequestType.ID,
		Department:  pv.Route.Department,
		Priority:    pv.Route.Priority,
		At:          in(pv.At),
		Policy:      slaPolicyRefJSON{ID: sl.Policy.ID, Name: sl.Policy.Name},
		Calendar:    sl.CalendarID,
		TimeZone:    loc.String(),
		WarnAt:      sl.WarnAt,
		Open:        pv.Open,
		NextOpen:    in(pv.NextOpen),
		Targets:     []slaTargetJSON{},
	}
	for _, t := range pv.Targets {
		from := "receipt"
		if !t.Received {
			from = "customer_reply"
		}
		out.Targets = append(out.Targets, slaTargetJSON{Target: t.Target, Duration: t.Length.String(), From: from, Start: in(t.Start), Due: in(t.Due), Warn: in(t.Warn)})
	}
	return out
}
