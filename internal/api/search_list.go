package api

// searchHitJSON is a ticket found by a search, with the message whose
// words matched.
type searchHitJSON struct {
	Ticket  ticketJSON  `json:"ticket"`
	Message messageJSON `json:"message"`
}

// searchList finds tickets the caller may see by words in subjects and
// messages, newest first: ?q=words&limit=&cursor=. Words are matched as
// whole words or prefixes; "quoted phrases" match in order.
func (a *API) searchList(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "q", "limit", "cursor"); err != nil {
		return nil, err
	}
	n, err := limit(q)
	if err != nil {
		return nil, err
	}
	hits, next, err := a.desk.Search(c.r.Context(), c.agent, q.Get("q"), q.Get("cursor"), n)
	if err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	out := list[searchHitJSON]{Items: make([]searchHitJSON, 0, len(hits)), NextCursor: next}
	for _, h := range hits {
		tj := newTicketJSON(p, h.Ticket)
		a.withRetention(&tj, h.Ticket, c.lang)
		out.Items = append(out.Items, searchHitJSON{Ticket: tj, Message: newMessageJSON(p, h.Message)})
	}
	return out, nil
}
