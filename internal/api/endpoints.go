package api

// Endpoint is one route of the API's route table.
type Endpoint struct {
	Method string // e.g. "GET"
	Path   string // the pattern, e.g. "/api/v1/tickets/{number}"
	Public bool   // callable without a token or session
}

// Endpoints returns the route table, for tests that must reach every
// endpoint (a route added later is then reached too, or the test fails).
func (a *API) Endpoints() []Endpoint {
	var out []Endpoint
	for _, rt := range a.routes() {
		out = append(out, Endpoint{Method: rt.method, Path: rt.path, Public: rt.access == public})
	}
	return out
}
