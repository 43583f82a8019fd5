package api

// retentionStatusJSON sums up retention: tickets past their latest
// deletion date (a compliance breach), due, restricted and held, and the
// newest recomputations of deletion dates with their progress.
type retentionStatusJSON struct {
	Overdue        int                 `json:"overdue"`
	DueNow         int                 `json:"due_now"`
	Restricted     int                 `json:"restricted"`
	Held           int                 `json:"held"`
	Recomputations []recomputationJSON `json:"recomputations"`
}

// retentionStatus answers the state of retention (privacy officers and
// administrators).
func (a *API) retentionStatus(c *call) (any, error) {
	s, err := a.desk.RetentionStatus(c.r.Context(), c.agent)
	if err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	out := retentionStatusJSON{Overdue: s.Overdue, DueNow: s.DueNow, Restricted: s.Restricted, Held: s.Held, Recomputations: []recomputationJSON{}}
	for _, r := range s.Recomputations {
		out.Recomputations = append(out.Recomputations, newRecomputationJSON(p, r))
	}
	return out, nil
}
