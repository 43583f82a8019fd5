package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// schema is the part of a JSON Schema the test compares.
type schema struct {
	Ref        string             `json:"$ref"`
	Type       any                `json:"type"`
	Properties map[string]*schema `json:"properties"`
	Items      *schema            `json:"items"`
	OneOf      []*schema          `json:"oneOf"`
	Additional any                `json:"additionalProperties"`
}

type operation struct {
	RequestBody *struct {
		Content map[string]struct{ Schema *schema } `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct{ Schema *schema } `json:"content"`
	} `json:"responses"`
	Security *[]map[string][]string `json:"security"`
}

type document struct {
	OpenAPI    string                           `json:"openapi"`
	Paths      map[string]map[string]*operation `json:"paths"`
	Components struct {
		Schemas map[string]*schema `json:"schemas"`
	} `json:"components"`
}

// TestOpenAPI holds the published document to the route table: the same
// paths and methods, the success status of each handler, public routes
// without security, and request and response schemas whose properties are
// exactly the JSON fields of the Go types the handlers read and write.
func TestOpenAPI(t *testing.T) {
	var doc document
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	a := New(Options{})
	var inTable, inDoc []string
	for _, rt := range a.routes() {
		key := rt.method + " " + rt.path
		inTable = append(inTable, key)
		op := doc.Paths[rt.path][strings.ToLower(rt.method)]
		if op == nil {
			continue
		}
		t.Run(key, func(t *testing.T) {
			res, ok := op.Responses[strconv.Itoa(rt.status)]
			if !ok {
				t.Fatalf("no %d response documented", rt.status)
			}
			if open := op.Security != nil && len(*op.Security) == 0; open != (rt.access == public) {
				t.Errorf("documented as public = %v", open)
			}
			if rt.response != nil {
				s := res.Content["application/json"].Schema
				if s == nil {
					t.Fatal("no JSON response schema")
				}
				compare(t, &doc, "response", s, reflect.TypeOf(rt.response))
			}
			if (op.RequestBody != nil) != (rt.request != nil) {
				t.Fatalf("request body documented = %v", op.RequestBody != nil)
			}
			if rt.request != nil {
				compare(t, &doc, "request", op.RequestBody.Content["application/json"].Schema, reflect.TypeOf(rt.request))
			}
		})
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			inDoc = append(inDoc, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(inTable)
	slices.Sort(inDoc)
	if diff := cmp.Diff(inTable, inDoc); diff != "" {
		t.Errorf("route table (-) and OpenAPI paths (+) differ:\n%s", diff)
	}
}

// compare checks that the schema describes the Go type: objects have the
// type's JSON field names as properties, recursively.
func compare(t *testing.T, doc *document, at string, s *schema, typ reflect.Type) {
	t.Helper()
	for s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
		s = doc.Components.Schemas[name]
		if s == nil {
			t.Fatalf("%s: $ref %s is not defined", at, name)
		}
	}
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if len(s.OneOf) > 0 {
		for _, alt := range s.OneOf {
			if alt.Type != "null" {
				compare(t, doc, at, alt, typ)
			}
		}
		return
	}
	switch {
	case typ.Kind() == reflect.Slice:
		if s.Items == nil {
			t.Errorf("%s: %s is documented without items", at, typ)
			return
		}
		compare(t, doc, at+"[]", s.Items, typ.Elem())
	case typ.Kind() == reflect.Struct && typ.NumField() > 0 && !isScalar(typ):
		fields := jsonFields(typ)
		var want, got []string
		for name := range fields {
			want = append(want, name)
		}
		for name := range s.Properties {
			got = append(got, name)
		}
		slices.Sort(want)
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: properties of %s: Go fields (-) and schema (+) differ:\n%s", at, typ, diff)
		}
		for name, ft := range fields {
			if p := s.Properties[name]; p != nil {
				compare(t, doc, at+"."+name, p, ft)
			}
		}
	}
}

// isScalar reports struct types that marshal as one JSON value.
func isScalar(typ reflect.Type) bool {
	m := reflect.TypeFor[json.Marshaler]()
	return typ.Implements(m) || reflect.PointerTo(typ).Implements(m)
}

// jsonFields returns a struct's JSON field names with their types,
// flattening embedded structs as encoding/json does.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range typ.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
