package main

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frist/internal/store/storetest"
)

// apiDo sends a JSON request with a bearer token and decodes the answer.
func apiDo(t *testing.T, method, url, token string, body any) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func tokenFor(t *testing.T, dir, email, role string) string {
	t.Helper()
	if role != "" {
		if out, err := run(t, "secret passphrase\n", "user", "add", "--data-dir", dir, "--email", email, "--name", "Dora Datenschutz", "--role", role); err != nil {
			t.Fatal(out, err)
		}
	}
	out, err := run(t, "", "token", "create", "--data-dir", dir, "--email", email, "--name", "e2e")
	if err != nil {
		t.Fatal(out, err)
	}
	words := strings.Fields(out)
	return words[len(words)-1]
}

// TestRetentionEndToEnd drives a retention rule through the real server on
// the test clock: intake, closure, plan, time travel, the run, the deletion
// log, and no trace of the request in the log or the data directory.
func TestRetentionEndToEnd(t *testing.T) {
	t.Parallel()
	s := MustServe(t, "", "--test-clock")
	admin := tokenFor(t, s.Dir, firstAdminEmail, "")
	dpo := tokenFor(t, s.Dir, "dora@example.org", "privacy-officer")

	if code, out := apiDo(t, "POST", s.URL+"/api/v1/test-clock", admin, map[string]any{"now": "2027-03-14T10:00:00+01:00"}); code != 200 {
		t.Fatalf("test clock: %d %v", code, out)
	}
	const marker = "Zqxmarkerwort7781"
	email := "erika.zqxmarker7781@example.org"
	resp, out := post(t, s.URL+"/api/v1/requests", intakeBody("2026-11-01", email, "Betreff "+marker, "Nachricht "+marker))
	if resp.StatusCode != 201 {
		t.Fatalf("intake: %d %v", resp.StatusCode, out)
	}
	number := out["ticket_number"].(string)
	del, _ := out["deletion"].(map[string]any)
	if del["rule"] != "support_standard" || del["due"] != nil || !strings.Contains(del["explanation"].(string), "Support") {
		t.Fatalf("intake deletion %v, want support_standard pending", del)
	}

	if code, out := apiDo(t, "PATCH", s.URL+"/api/v1/tickets/"+number, admin, map[string]any{"status": "closed"}); code != 200 {
		t.Fatalf("close: %d %v", code, out)
	}
	_, tk := apiDo(t, "GET", s.URL+"/api/v1/tickets/"+number, admin, nil)
	del, _ = tk["deletion"].(map[string]any)
	due, _ := del["due"].(string)
	if !strings.HasPrefix(due, "2027-06-12T10:00:00") {
		t.Fatalf("deletion due %q, want 90 days after closure on 2027-06-12 (%v)", due, del)
	}

	code, plan := apiDo(t, "GET", s.URL+"/api/v1/retention/plan?as_of=2027-06-13", dpo, nil)
	groups, _ := plan["groups"].([]any)
	if code != 200 || len(groups) != 1 {
		t.Fatalf("plan: %d %v", code, plan)
	}
	if g := groups[0].(map[string]any); g["rule"] != "support_standard" || g["action"] != "delete" || g["tickets"] != 1.0 || g["messages"] != 1.0 {
		t.Errorf("plan group %v", g)
	}
	if code, _ := apiDo(t, "GET", s.URL+"/api/v1/tickets/"+number, admin, nil); code != 200 {
		t.Fatalf("the plan changed something: %d", code)
	}

	if code, out := apiDo(t, "POST", s.URL+"/api/v1/test-clock", admin, map[string]any{"advance": "P91D"}); code != 200 {
		t.Fatalf("advance: %d %v", code, out)
	}
	code, run := apiDo(t, "POST", s.URL+"/api/v1/retention/run", dpo, nil)
	if code != 200 {
		t.Fatalf("run: %d %v", code, run)
	}
	if code, _ := apiDo(t, "GET", s.URL+"/api/v1/tickets/"+number, admin, nil); code != 404 {
		t.Errorf("deleted ticket answers %d", code)
	}
	_, log := apiDo(t, "GET", s.URL+"/api/v1/deletion-log", dpo, nil)
	items, _ := log["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["ticket_number"] != number {
		t.Errorf("deletion log %v, want one entry for %s", log, number)
	}

	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	needles := []string{strings.ToLower(marker), strings.ToLower(marker)[8:], "zqxmarker7781"}
	for _, n := range needles {
		if strings.Contains(strings.ToLower(s.Stderr.String()+s.Stdout.String()), n) {
			t.Errorf("the server log holds %q", n)
		}
	}
	if storetest.Backend() != "sqlite" {
		return
	}
	filepath.WalkDir(s.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, n := range needles {
			if bytes.Contains(bytes.ToLower(b), []byte(n)) {
				t.Errorf("%s holds %q after the deletion", filepath.Base(path), n)
			}
		}
		return nil
	})
}
