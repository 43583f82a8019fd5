package api

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"frist/internal/audit"
	"frist/internal/policy"
	"frist/internal/store"
)

// auditEntryJSON is one entry of the audit trail. at carries the stored
// microseconds, so that anyone can recompute the hashes (docs/operators.md,
// "Audit trail").
type auditEntryJSON struct {
	ID        int64  `json:"id"`
	At        string `json:"at"`
	ActorID   *int64 `json:"actor_id"` // null for the system
	ActorKind string `json:"actor_kind"`
	Action    string `json:"action"`
	Object    string `json:"object"`
	Detail    string `json:"detail"`
	PrevHash  string `json:"prev_hash"`
	Hash      string `json:"hash"`
}

func newAuditEntryJSON(p *policy.Policy, e audit.Entry) auditEntryJSON {
	out := auditEntryJSON{ID: e.ID, At: e.At.In(p.Location()).Format(time.RFC3339Nano), ActorKind: e.ActorKind,
		Action: e.Action, Object: e.Object, Detail: e.Detail, PrevHash: e.PrevHash, Hash: e.Hash}
	if e.ActorID != 0 {
		id := e.ActorID
		out.ActorID = &id
	}
	return out
}

// auditList answers the audit trail, newest first (administrators and
// privacy officers):
//
//	?object=ticket:F-100042 &action=retention.delete
//	&from=2026-11-01 &to=2026-11-30  (days in the organisation's time zone, to included,
//	                                  or RFC 3339 times, to excluded)
//	&limit=1..200 (default 50) &cursor=<next_cursor>
//	&format=json|csv  (default json; "Accept: text/csv" also gives CSV)
//
// CSV holds every matching entry, not a page, and the export is itself
// recorded in the trail (audit.export).
func (a *API) auditList(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "object", "action", "from", "to", "limit", "cursor", "format"); err != nil {
		return nil, err
	}
	format, err := exportFormat(c)
	if err != nil {
		return nil, err
	}
	f, err := a.desk.AuditFilter(q.Get("object"), q.Get("action"), q.Get("from"), q.Get("to"))
	if err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	if format == "csv" {
		return a.auditCSV(c, p, f)
	}
	n, err := limit(q)
	if err != nil {
		return nil, err
	}
	es, next, err := a.desk.AuditLog(c.r.Context(), c.agent, f, q.Get("cursor"), n)
	if err != nil {
		return nil, err
	}
	out := list[auditEntryJSON]{Items: make([]auditEntryJSON, 0, len(es)), NextCursor: next}
	for _, e := range es {
		out.Items = append(out.Items, newAuditEntryJSON(p, e))
	}
	return out, nil
}

// auditCSV streams the matching entries as CSV. The header is written
// with the first row, so that a refused export still answers a problem
// document.
func (a *API) auditCSV(c *call, p *policy.Policy, f store.AuditFilter) (any, error) {
	var w *csv.Writer
	start := func() {
		h := c.w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="audit-`+a.desk.Now().In(p.Location()).Format("2006-01-02")+`.csv"`)
		h.Set("Cache-Control", "no-store")
		c.w.WriteHeader(http.StatusOK)
		w = csv.NewWriter(c.w)
		w.Write([]string{"id", "at", "actor_id", "actor_kind", "action", "object", "detail", "prev_hash", "hash"})
	}
	err := a.desk.ExportAudit(c.r.Context(), c.agent, f, func(e audit.Entry) error {
		if w == nil {
			start()
		}
		x := newAuditEntryJSON(p, e)
		actor := ""
		if x.ActorID != nil {
			actor = strconv.FormatInt(*x.ActorID, 10)
		}
		w.Write([]string{strconv.FormatInt(x.ID, 10), x.At, actor, x.ActorKind, x.Action, x.Object, x.Detail, x.PrevHash, x.Hash})
		return w.Error()
	})
	if err != nil && w == nil {
		return nil, err
	}
	if err != nil {
		// The answer has begun; the truncated file is all the client gets.
		a.log.Error("audit export", "err", err)
		return streamed{}, nil
	}
	if w == nil {
		start()
	}
	w.Flush()
	return streamed{}, nil
}
