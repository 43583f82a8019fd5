package api

// processorShow answers one processor (GET /api/v1/processors/{id};
// administrators and privacy officers).
func (a *API) processorShow(c *call) (any, error) {
	x, err := a.desk.Processor(c.r.Context(), c.agent, c.r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return newProcessorJSON(a.desk.Policy(), x, a.desk.Now()), nil
}
