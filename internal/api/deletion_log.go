package api

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"frist/internal/policy"
	"frist/internal/store"
)

// deletionEntryJSON is one entry of the deletion log (Löschprotokoll): what
// retention did to which ticket number, under which rule, when it was due
// and when it was done, and how much it removed. It holds no personal
// data; once the ticket is gone its number is a pseudonym.
type deletionEntryJSON struct {
	ID           int64       `json:"id"`
	TicketNumber string      `json:"ticket_number"`
	Action       string      `json:"action"` // delete, anonymise, restrict, expire_fields
	Rule         string      `json:"rule"`
	RuleVersion  string      `json:"rule_version"`
	Class        string      `json:"class"`
	Due          string      `json:"due"`
	Done         string      `json:"done"`
	Removed      removedJSON `json:"removed"`
}

func newDeletionEntryJSON(p *policy.Policy, e store.DeletionEntry) deletionEntryJSON {
	return deletionEntryJSON{ID: e.ID, TicketNumber: e.Pseudonym, Action: string(e.Action), Rule: e.Rule, RuleVersion: e.RuleVersion,
		Class: e.Class, Due: stamp(p, e.Due), Done: stamp(p, e.Done), Removed: newRemovedJSON(e.Removed)}
}

// deletionLog answers the deletion log, newest first (privacy officers
// and administrators):
//
//	?from=2026-11-01 &to=2026-11-30  (days, to included, or RFC 3339 times, to excluded)
//	&action=delete|anonymise|restrict|expire_fields &rule=<rule id>
//	&limit=1..200 (default 50) &cursor=<next_cursor>
//	&format=json|csv  (default json; "Accept: text/csv" also gives CSV)
//
// CSV holds every matching entry, not a page, and the export is recorded
// in the audit trail (deletion_log.export).
func (a *API) deletionLog(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "from", "to", "action", "rule", "limit", "cursor", "format"); err != nil {
		return nil, err
	}
	format, err := exportFormat(c)
	if err != nil {
		return nil, err
	}
	f, err := a.desk.DeletionFilter(q.Get("from"), q.Get("to"), q.Get("action"), q.Get("rule"))
	if err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	if format == "csv" {
		return a.deletionLogCSV(c, p, f)
	}
	if f.Limit, err = limit(q); err != nil {
		return nil, err
	}
	f.Cursor = q.Get("cursor")
	es, next, err := a.desk.DeletionLog(c.r.Context(), c.agent, f)
	if err != nil {
		return nil, err
	}
	out := list[deletionEntryJSON]{Items: make([]deletionEntryJSON, 0, len(es)), NextCursor: next}
	for _, e := range es {
		out.Items = append(out.Items, newDeletionEntryJSON(p, e))
	}
	return out, nil
}

// deletionLogCSV answers every matching entry as CSV, after recording the
// export in the audit trail. A refused export answers a problem document.
func (a *API) deletionLogCSV(c *call, p *policy.Policy, f store.DeletionFilter) (any, error) {
	ctx := c.r.Context()
	f.Limit = 1000
	first, next, err := a.desk.DeletionLog(ctx, c.agent, f)
	if err != nil {
		return nil, err
	}
	if err := a.desk.AuditDeletionLogExport(ctx, c.agent); err != nil {
		return nil, err
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="deletion-log-`+a.desk.Now().In(p.Location()).Format("2006-01-02")+`.csv"`)
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.w)
	w.Write([]string{"id", "ticket_number", "action", "rule", "rule_version", "class", "due", "done",
		"tickets", "messages", "attachments", "fields", "consents", "history", "sla_events", "search_index", "customers", "status_links", "legal_holds"})
	page := first
	for {
		for _, e := range page {
			x := newDeletionEntryJSON(p, e)
			r := x.Removed
			row := []string{strconv.FormatInt(x.ID, 10), x.TicketNumber, x.Action, x.Rule, x.RuleVersion, x.Class, x.Due, x.Done}
			for _, n := range []int{r.Tickets, r.Messages, r.Attachments, r.Fields, r.Consents, r.History, r.SLAEvents, r.SearchIndex, r.Customers, r.StatusLinks, r.LegalHolds} {
				row = append(row, strconv.Itoa(n))
			}
			w.Write(row)
		}
		if next == "" {
			break
		}
		f.Cursor = next
		if page, next, err = a.desk.DeletionLog(ctx, c.agent, f); err != nil {
			// The answer has begun; the truncated file is all the client gets.
			a.log.Error("deletion log export", "err", err)
			break
		}
	}
	w.Flush()
	return streamed{}, nil
}
