package api

import (
	"frist/internal/desk"
	"frist/internal/policy"
	"frist/internal/store"
)

// retentionRunJSON is the outcome of one run of the retention sweeper:
// counts only, never what was deleted.
type retentionRunJSON struct {
	Started        string             `json:"started"`
	Finished       string             `json:"finished"`
	Deleted        int                `json:"deleted"`    // tickets deleted
	Anonymised     int                `json:"anonymised"` // tickets anonymised
	Restricted     int                `json:"restricted"` // tickets restricted (GDPR Art. 18)
	FieldsExpired  int                `json:"fields_expired"`
	Rescheduled    int                `json:"rescheduled"` // looked at, nothing due under the rules in force
	Files          int                `json:"files"`       // attachment files removed from disk
	Removed        removedJSON        `json:"removed"`
	Recomputation  *recomputationJSON `json:"recomputation"` // when the rules in force had changed
	CheckpointBusy bool               `json:"checkpoint_busy"`
}

// removedJSON counts what a deletion removed, per kind of data.
type removedJSON struct {
	Tickets     int `json:"tickets"`
	Messages    int `json:"messages"`
	Attachments int `json:"attachments"`
	Fields      int `json:"fields"`
	Consents    int `json:"consents"`
	History     int `json:"history"`
	SLAEvents   int `json:"sla_events"`
	SearchIndex int `json:"search_index"`
	Customers   int `json:"customers"`
	StatusLinks int `json:"status_links"`
	LegalHolds  int `json:"legal_holds"`
}

func newRemovedJSON(r store.Removed) removedJSON {
	return removedJSON{Tickets: r.Tickets, Messages: r.Messages, Attachments: r.Attachments, Fields: r.Fields, Consents: r.Consents,
		History: r.History, SLAEvents: r.SLAEvents, SearchIndex: r.SearchIndex, Customers: r.Customers, StatusLinks: r.StatusLinks, LegalHolds: r.LegalHolds}
}

// recomputationJSON is one recomputation of deletion dates after a rule
// change, with its progress.
type recomputationJSON struct {
	ID       int64   `json:"id"`
	At       string  `json:"at"`
	Cause    string  `json:"cause"` // policy or effective_date
	Examined int     `json:"examined"`
	Changed  int     `json:"changed"`
	Done     bool    `json:"done"`
	DoneAt   *string `json:"done_at"`
}

func newRecomputationJSON(p *policy.Policy, r store.Recomputation) recomputationJSON {
	return recomputationJSON{ID: r.ID, At: stamp(p, r.At), Cause: r.Cause, Examined: r.Examined, Changed: r.Changed,
		Done: !r.Done.IsZero(), DoneAt: maybeStamp(p, r.Done)}
}

// retentionRun runs the retention sweeper once, now (privacy officers
// and administrators), and answers its counts.
func (a *API) retentionRun(c *call) (any, error) {
	run, err := a.desk.RunRetention(c.r.Context(), c.agent, nil)
	if err != nil {
		return nil, err
	}
	return newRetentionRunJSON(a.desk.Policy(), run), nil
}

func newRetentionRunJSON(p *policy.Policy, run desk.RetentionRun) retentionRunJSON {
	out := retentionRunJSON{Started: stamp(p, run.Started), Finished: stamp(p, run.Finished), Deleted: run.Deleted, Anonymised: run.Anonymised,
		Restricted: run.Restricted, FieldsExpired: run.FieldsExpired, Rescheduled: run.Rescheduled, Files: run.Files,
		Removed: newRemovedJSON(run.Removed), CheckpointBusy: run.CheckpointBusy}
	if run.Recomputation != nil {
		r := newRecomputationJSON(p, *run.Recomputation)
		out.Recomputation = &r
	}
	return out
}
