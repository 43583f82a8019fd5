package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"frist/internal/desk"
)

// TestTrainingInstallation exports tickets of a source installation (on
// the backend under test) with `frist training export` in both formats,
// makes training installations of them with `frist training import`, and
// starts each with `frist serve`: the first administrator signs in and
// finds the tickets under their new numbers, pseudonymised, below the
// training banner; the real customer's name is nowhere.
func TestTrainingInstallation(t *testing.T) {
	t.Parallel()
	src := newDataDir(t)
	s := MustServe(t, src)
	const name, email = "Erika Trainingsmuster", "erika.trainingsmuster@example.org"
	for _, subject := range []string{"Drucker streikt", "Rechnung fehlt"} {
		body := strings.Replace(intakeBody("2026-11-01", email, subject, "Guten Tag, hier schreibt "+name+". IBAN DE89 3704 0044 0532 0130 00."),
			"Erika Mustermann", name, 1)
		if resp, out := post(t, s.URL+"/api/v1/requests", body); resp.StatusCode != http.StatusCreated {
			t.Fatalf("intake: %d %v", resp.StatusCode, out)
		}
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}

	files := t.TempDir()
	for _, format := range []string{"json", "sqlite"} {
		out := filepath.Join(files, "training."+format)
		got, err := run(t, "", "training", "export", "--data-dir", src, "--format", format, "--lang", "de", "--out", out)
		if err != nil || !strings.Contains(got, "training dataset with 2 tickets written") {
			t.Fatalf("export %s: %v\n%s", format, err, got)
		}
		raw, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"Trainingsmuster", "DE89 3704", "F-100001", "F-100002"} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("%s export holds %q", format, secret)
			}
		}
		if got, err := run(t, "", "training", "export", "--data-dir", src, "--format", format, "--out", out); err == nil {
			t.Errorf("an export over an existing file was not refused:\n%s", got)
		}

		dir := t.TempDir() // a training installation runs on SQLite
		if got, err := run(t, "", "training", "import", "--data-dir", dir, out); err != nil || !strings.Contains(got, "frist serve --data-dir "+dir) {
			t.Fatalf("import %s: %v\n%s", format, err, got)
		}
		if got, err := run(t, "", "training", "import", "--data-dir", dir, out); err == nil || !strings.Contains(err.Error(), "holds an installation already") {
			t.Errorf("a second import into %s: %v\n%s", dir, err, got)
		}
		if _, err := run(t, "", "training", "export", "--data-dir", dir, "--out", filepath.Join(files, "again-"+format)); err == nil || !strings.Contains(err.Error(), "training installation") {
			t.Errorf("a training installation exported a dataset: %v", err)
		}
		checkTrainingServer(t, dir, format, out)
	}

	// Only datasets are imported.
	notDataset := filepath.Join(files, "policy.json")
	os.WriteFile(notDataset, []byte(`{"departments": []}`), 0o600)
	if _, err := run(t, "", "training", "import", "--data-dir", t.TempDir(), notDataset); err == nil || !strings.Contains(err.Error(), "not a training dataset") {
		t.Errorf("import of another file: %v", err)
	}
}

// checkTrainingServer serves the training installation in dir, signs in
// as its first administrator and looks at the queue and a ticket.
func checkTrainingServer(t *testing.T, dir, format, file string) {
	t.Helper()
	ts := MustServe(t, dir)
	defer ts.stop()
	m := regexp.MustCompile(`(?m)^\s*Password:\s+(\S+)\s*$`).FindStringSubmatch(ts.Stdout.String())
	if m == nil {
		t.Fatalf("%s: the training installation has no first administrator:\n%s", format, ts.Stdout.String())
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(ts.URL+"/login", url.Values{"email": {firstAdminEmail}, "password": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	queue, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path != "/queue" {
		t.Fatalf("%s: login ended on %s", format, resp.Request.URL.Path)
	}
	var numbers []string
	if format == "json" {
		raw, _ := os.ReadFile(file)
		var ds desk.TrainingDataset
		if err := json.Unmarshal(raw, &ds); err != nil {
			t.Fatal(err)
		}
		for _, tk := range ds.Tickets {
			numbers = append(numbers, tk.Number)
		}
	} else {
		numbers = regexp.MustCompile(`F-\d{6,}`).FindAllString(string(queue), -1)
	}
	page := string(queue)
	for _, want := range append([]string{"Schulungsinstallation", "Drucker streikt", "Rechnung fehlt"}, numbers...) {
		if !strings.Contains(page, want) {
			t.Errorf("%s: the queue lacks %q", format, want)
		}
	}
	if len(numbers) < 2 || strings.Contains(page, "F-100001") || strings.Contains(page, "Trainingsmuster") {
		t.Fatalf("%s: queue with numbers %v:\n%s", format, numbers, page)
	}
	resp, err = c.Get(ts.URL + "/tickets/" + numbers[0])
	if err != nil {
		t.Fatal(err)
	}
	ticket, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(ticket), "Kunde ") || !strings.Contains(string(ticket), "[IBAN]") ||
		strings.Contains(string(ticket), "Trainingsmuster") || strings.Contains(string(ticket), "example.org") {
		t.Errorf("%s: ticket %s: %d\n%s", format, numbers[0], resp.StatusCode, ticket)
	}
}
