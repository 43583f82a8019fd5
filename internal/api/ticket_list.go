package api

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"frist/internal/fault"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// ticketList answers a page of the queue:
//
//	?status=new,open  (repeatable; default: new, open and waiting)
//	&department=billing
//	&assignee=any|mine|unassigned|<agent id>
//	&sort=due|oldest|newest  (default due: the next deadline first)
//	&restricted=hide|include|only  (privacy officers; others get 403)
//	&limit=1..200  (default 50)
//	&cursor=<next_cursor of the previous page>
func (a *API) ticketList(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "status", "department", "assignee", "sort", "limit", "cursor", "restricted"); err != nil {
		return nil, err
	}
	f := store.TicketFilter{Department: q.Get("department"), Sort: q.Get("sort"), Cursor: q.Get("cursor")}
	var errs []fault.FieldError
	for _, v := range q["status"] {
		for s := range strings.SplitSeq(v, ",") {
			st := ticket.Status(strings.TrimSpace(s))
			if !st.Valid() {
				errs = append(errs, fault.FieldError{Field: "status", Message: privacy.ErrOption})
				break
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	if f.Department != "" {
		if _, ok := a.desk.Policy().Department(f.Department); !ok {
			errs = append(errs, fault.FieldError{Field: "department", Message: privacy.ErrOption})
		}
	}
	switch v := q.Get("assignee"); v {
	case "", "any":
	case "mine":
		f.Assignee = &c.agent.ID
	case "unassigned":
		f.Assignee = new(int64)
	default:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			errs = append(errs, fault.FieldError{Field: "assignee", Message: privacy.ErrOption})
		}
		f.Assignee = &id
	}
	var err error
	if f.Restricted, err = restrictedFilter(c, q.Get("restricted")); err != nil {
		return nil, err
	}
	if f.Limit, err = limit(q); err != nil {
		errs = append(errs, fault.FieldsOf(err)...)
	}
	if len(errs) > 0 {
		return nil, &fault.Error{Code: fault.Invalid, Message: "Please check the query parameters.", Fields: errs}
	}
	ts, next, err := a.desk.Tickets(c.r.Context(), c.agent, f)
	if err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	out := list[ticketJSON]{Items: make([]ticketJSON, 0, len(ts)), NextCursor: next}
	for _, t := range ts {
		tj := newTicketJSON(p, t)
		a.withRetention(&tj, t, c.lang)
		out.Items = append(out.Items, tj)
	}
	return out, nil
}

// limit reads ?limit=, 1..200, default 50.
func limit(q url.Values) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 200 {
		return 0, fault.Fields("limit must be between 1 and 200.", fault.FieldError{Field: "limit", Message: privacy.ErrOption})
	}
	return n, nil
}

// onlyParams refuses query parameters the endpoint does not know, so that
// a typo does not silently widen a result.
func onlyParams(q url.Values, known ...string) error {
	var errs []fault.FieldError
	for k := range q {
		if !slices.Contains(known, k) {
			if len(k) > 64 {
				k = k[:64]
			}
			errs = append(errs, fault.FieldError{Field: k, Message: "unknown_key"})
		}
	}
	if len(errs) > 0 {
		return &fault.Error{Code: fault.Invalid, Message: "Unknown query parameter.", Fields: errs}
	}
	return nil
}
