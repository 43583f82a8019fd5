package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestUsersAndAvailability(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	agents, err := e.Desk.Agents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var billing int64
	for _, a := range agents {
		if a.Email == "billing@example.org" {
			billing = a.ID
		}
	}
	user := fmt.Sprintf("/api/v1/users/%d", billing)
	xss := "<script>alert(1)</script>"
	for _, tc := range []struct {
		name, who, method, path, body string
		status                        int
		want, not                     []string
	}{
		{"AvailabilityAway", "agent", "PUT", "/api/v1/me/availability", `{"available": false}`, 200, []string{`"available":false`, `"present":false`}, nil},
		{"AvailabilityBack", "agent", "PUT", "/api/v1/me/availability", `{"available": true}`, 200, []string{`"available":true`, `"present":true`}, nil},
		{"AvailabilityMissing", "agent", "PUT", "/api/v1/me/availability", `{}`, 422, []string{`"field":"available"`}, nil},
		{"AvailabilityUnknownKey", "agent", "PUT", "/api/v1/me/availability", `{"available": true, "x": 1}`, 400, nil, nil},
		{"AvailabilityNoToken", "", "PUT", "/api/v1/me/availability", `{"available": true}`, 401, nil, nil},
		{"ListForbidden", "agent", "GET", "/api/v1/users", "", 403, nil, []string{"billing@example.org"}},
		{"List", "admin", "GET", "/api/v1/users?limit=2", "", 200, []string{`"max_open":0`, `"skills":[]`, `"next_cursor":"`}, []string{"password"}},
		{"ListBadLimit", "admin", "GET", "/api/v1/users?limit=500", "", 422, []string{`"field":"limit"`}, nil},
		{"ListBadCursor", "admin", "GET", "/api/v1/users?cursor=abc", "", 422, []string{`"field":"cursor"`}, nil},
		{"PatchForbidden", "billing", "PATCH", user, `{"max_open": 3}`, 403, nil, nil},
		{"PatchInvalid", "admin", "PATCH", user, `{"skills": ["` + xss + `"], "max_open": -1, "calendar": "` + xss + `", "departments": ["sales"]}`, 422,
			[]string{`"field":"skills","code":"invalid_skill"`, `"field":"max_open"`, `"field":"calendar"`, `"field":"departments"`}, []string{"script"}},
		{"PatchUnchangedAfterInvalid", "admin", "GET", "/api/v1/users", "", 200, []string{`"email":"billing@example.org"`}, []string{`"max_open":-1`, "script"}},
		{"Patch", "admin", "PATCH", user, `{"skills": ["Lang:FR", "lang:de"], "max_open": 4, "calendar": "office", "available": false, "departments": ["billing", "support"]}`, 200,
			[]string{`"skills":["lang:fr","lang:de"]`, `"max_open":4`, `"calendar":"office"`, `"available":false`, `"departments":["billing","support"]`}, nil},
		{"PatchUnknown", "admin", "PATCH", "/api/v1/users/9999", `{"max_open": 1}`, 404, nil, nil},
		{"PatchBadID", "admin", "PATCH", "/api/v1/users/x", `{"max_open": 1}`, 404, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.call(t, tc.who, tc.method, tc.path, tc.body)
			if status != tc.status {
				t.Fatalf("status = %d, want %d: %s", status, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %s: %s", w, body)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("body contains %s: %s", n, body)
				}
			}
		})
	}
}
