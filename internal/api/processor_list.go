package api

// processorList answers a page of the register of processors, sorted by
// id (administrators and privacy officers):
//
//	?limit=1..200 (default 50) &cursor=<next_cursor>
func (a *API) processorList(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "limit", "cursor"); err != nil {
		return nil, err
	}
	n, err := limit(q)
	if err != nil {
		return nil, err
	}
	ps, next, err := a.desk.Processors(c.r.Context(), c.agent, q.Get("cursor"), n)
	if err != nil {
		return nil, err
	}
	p, now := a.desk.Policy(), a.desk.Now()
	out := list[processorJSON]{Items: make([]processorJSON, 0, len(ps)), NextCursor: next}
	for i := range ps {
		out.Items = append(out.Items, newProcessorJSON(p, &ps[i], now))
	}
	return out, nil
}
