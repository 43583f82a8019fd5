package api

// processorUpdate replaces a processor's entry (PUT
// /api/v1/processors/{id}; administrators): a new policy version. The
// body is the whole entry; its id, when given, must be the path's. A
// change that leaves an enabled integration without a valid AVV is 422.
func (a *API) processorUpdate(c *call) (any, error) {
	var in processorInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	x, err := a.desk.UpdateProcessor(c.r.Context(), c.agent, c.r.PathValue("id"), in.processor())
	if err != nil {
		return nil, err
	}
	return newProcessorJSON(a.desk.Policy(), x, a.desk.Now()), nil
}
