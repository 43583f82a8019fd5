package api

// processorDelete removes a processor from the register (DELETE
// /api/v1/processors/{id}; administrators): a new policy version. While
// an integration names it, 409.
func (a *API) processorDelete(c *call) (any, error) {
	return nil, a.desk.DeleteProcessor(c.r.Context(), c.agent, c.r.PathValue("id"))
}
