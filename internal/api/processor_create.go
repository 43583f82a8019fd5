package api

// processorCreate adds a processor to the register (POST
// /api/v1/processors; administrators): a new policy version. Invalid
// entries are 422 with one error per field, e.g. "avv.valid_until".
func (a *API) processorCreate(c *call) (any, error) {
	var in processorInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	x, err := a.desk.CreateProcessor(c.r.Context(), c.agent, in.processor())
	if err != nil {
		return nil, err
	}
	c.w.Header().Set("Location", "/api/v1/processors/"+x.ID)
	return newProcessorJSON(a.desk.Policy(), x, a.desk.Now()), nil
}
