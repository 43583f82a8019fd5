package api

import (
	_ "embed"
	"encoding/json"
)

// openAPI is the OpenAPI 3.1 description of the route table. It is
// written by hand, for people; TestOpenAPI holds it to the route table and
// the JSON types.
//
//go:embed openapi.json
var openAPI []byte

// openAPIShow answers the OpenAPI document.
func (a *API) openAPIShow(c *call) (any, error) {
	c.w.Header().Set("Cache-Control", "public, max-age=3600")
	return json.RawMessage(openAPI), nil
}
