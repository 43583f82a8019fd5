package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"frist/internal/store/storetest"
)

// syncBuffer is a bytes.Buffer safe for concurrent writes by the server's
// logger and reads by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestMain(m *testing.M) {
	// The retention scenario starts its intake load as a child process of
	// the executable, which in these tests is the test binary: it then
	// runs as frist.
	if os.Getenv(asFrist) == "1" {
		main()
		os.Exit(0)
	}
	os.Setenv(asFrist, "1")
	os.Exit(storetest.Main(m))
}

const asFrist = "FRIST_TEST_BINARY_AS_FRIST"

// databases maps the data directories that tests made to the database
// URL of the backend under test ("" for SQLite in the directory).
var databases sync.Map

// newDataDir returns a data directory for a test installation; on
// PostgreSQL it comes with a fresh schema.
func newDataDir(t *testing.T) string {
	dir := t.TempDir()
	if storetest.Backend() == "postgres" {
		databases.Store(dir, storetest.Schema(t))
	}
	return dir
}

// databaseURL returns the database URL of a data directory from
// newDataDir.
func databaseURL(dir string) string {
	u, _ := databases.Load(dir)
	s, _ := u.(string)
	return s
}

// getenvFor is Main's environment for a command line: FRIST_DATABASE_URL
// names the database of its --data-dir.
func getenvFor(args []string) func(string) string {
	var dir string
	for i, a := range args {
		if a == "--data-dir" && i+1 < len(args) {
			dir = args[i+1]
		}
	}
	return func(key string) string {
		if key == "FRIST_DATABASE_URL" {
			return databaseURL(dir)
		}
		return ""
	}
}

// running is a Main serving on :0 with a temp data dir.
type running struct {
	URL    string
	Dir    string
	Stdout *syncBuffer
	Stderr *syncBuffer
	stop   func() error
}

// MustServe runs the real Main's serve on a free port.
func MustServe(t *testing.T, dir string, extra ...string) *running {
	t.Helper()
	if dir == "" {
		dir = newDataDir(t)
	}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir, "--intake-rate-limit", "0"}, extra...)
	ready := make(chan string, 1)
	out, errOut := &syncBuffer{}, &syncBuffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: out, Stderr: errOut, Getenv: getenvFor(args), Ready: ready}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, args); m.Close() }()
	select {
	case addr := <-ready:
		r := &running{URL: "http://" + addr, Dir: dir, Stdout: out, Stderr: errOut}
		var once sync.Once
		var stopErr error
		r.stop = func() error {
			once.Do(func() { cancel(); stopErr = <-done })
			return stopErr
		}
		t.Cleanup(func() { r.stop() })
		return r
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v\n%s", err, errOut.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	return nil
}

// run runs a non-serving subcommand and returns its standard output.
func run(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: getenvFor(args)}
	defer m.Close()
	err := m.Run(context.Background(), args)
	if err != nil {
		return out.String() + errOut.String(), err
	}
	return out.String(), nil
}

func intakeBody(version, email, subject, message string) string {
	b, _ := json.Marshal(map[string]any{
		"request_type": "general_question", "name": "Erika Mustermann", "email": email,
		"subject": subject, "message": message, "language": "de",
		"consent": map[string]any{"notice_version": version, "accepted": true},
	})
	return string(b)
}

func post(t *testing.T, url, body string) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

func TestServe(t *testing.T) {
	t.Parallel()
	s := MustServe(t, "", "--test-clock")
	if out := s.Stdout.String(); !strings.Contains(out, "Password:") || !strings.Contains(out, firstAdminEmail) {
		t.Fatalf("first start does not print the admin login:\n%s", out)
	}
	resp, err := http.Get(s.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Get(s.URL + "/")
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("form: %v %v", resp, err)
	}
	resp.Body.Close()

	// The log never holds personal data, also not on errors.
	const email, marker = "erika.geheim@example.org", "Geheimwort4711"
	resp, out := post(t, s.URL+"/api/v1/requests", intakeBody("2026-11-01", email, "Betreff "+marker, "Nachricht "+marker))
	if resp.StatusCode != 201 {
		t.Fatalf("intake: %d %v", resp.StatusCode, out)
	}
	post(t, s.URL+"/api/v1/requests", intakeBody("2026-11-01", "kaputt@", marker, marker))
	post(t, s.URL+"/api/v1/requests", `{"name": "`+marker+`", "email": "`+email+`"`)
	statusURL, _ := out["status_url"].(string)
	if r, err := http.Get(statusURL); err == nil {
		r.Body.Close()
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	logs := s.Stderr.String()
	for _, secret := range []string{email, marker, strings.TrimPrefix(statusURL, s.URL+"/t/")} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds personal data or a secret %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, "TEST CLOCK ACTIVE") {
		t.Error("test clock is not announced in the log")
	}

	// An installation that ran on the test clock keeps it; one that ran on
	// the real clock refuses it.
	dir := newDataDir(t)
	MustServe(t, dir).stop()
	var errOut bytes.Buffer
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir, "--test-clock"}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errOut, Getenv: getenvFor(args)}
	err = m.Run(context.Background(), args)
	m.Close()
	if err == nil || !strings.Contains(err.Error(), "real clock") {
		t.Errorf("test clock on a real installation: %v", err)
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	dir := newDataDir(t)
	if out, err := run(t, "", "migrate", "--data-dir", dir); err != nil || !strings.Contains(out, "migrations applied") {
		t.Fatalf("migrate: %s %v", out, err)
	}
	if out, err := run(t, "a long enough password\n", "user", "add", "--data-dir", dir, "--email", "max@example.org", "--name", "Max Mustermann", "--role", "agent"); err != nil || strings.Contains(out, "one-time") {
		t.Fatalf("user add with piped password: %s %v", out, err)
	}
	if out, err := run(t, "", "user", "add", "--data-dir", dir, "--email", "max@example.org", "--name", "Max", "--role", "agent"); err == nil {
		t.Fatalf("duplicate user accepted: %s", out)
	}
	if out, err := run(t, "", "user", "add", "--data-dir", dir, "--email", "t@example.org", "--name", "Tina Trainee", "--role", "wizard"); err == nil {
		t.Fatalf("unknown role accepted: %s", out)
	}
	out, err := run(t, "", "user", "add", "--data-dir", dir, "--email", "po@example.org", "--name", "Petra", "--role", "privacy-officer")
	if err != nil || !strings.Contains(out, "one-time password: ") {
		t.Fatalf("user add without password: %s %v", out, err)
	}
	out, err = run(t, "", "token", "create", "--data-dir", dir, "--email", "max@example.org", "--name", "CRM")
	if err != nil {
		t.Fatal(out, err)
	}
	words := strings.Fields(out)
	if token := words[len(words)-1]; !strings.HasPrefix(token, "frist_") {
		t.Fatalf("token is not the last word: %q", out)
	}
	exported, err := run(t, "", "policy", "export", "--data-dir", dir)
	if err != nil || !strings.Contains(exported, "invoice_question") {
		t.Fatalf("policy export: %s %v", exported, err)
	}
	file := filepath.Join(dir, "policy.yaml")
	changed := strings.Replace(exported, "first_response: PT24H", "first_response: PT12H", 1)
	os.WriteFile(file, []byte(changed), 0o600)
	if out, err := run(t, "", "policy", "apply", "--data-dir", dir, file); err != nil {
		t.Fatalf("policy apply: %s %v", out, err)
	}
	if got, _ := run(t, "", "policy", "export", "--data-dir", dir); got != changed {
		t.Error("export does not return the applied policy")
	}
	os.WriteFile(file, []byte(strings.Replace(exported, "department: billing", "department: nowhere", 1)), 0o600)
	if out, err := run(t, "", "policy", "apply", "--data-dir", dir, file); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("bad policy applied: %s %v", out, err)
	}
	if got, _ := run(t, "", "policy", "export", "--data-dir", dir); got != changed {
		t.Error("a rejected policy changed the policy in force")
	}
	var help bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &help, Stderr: &help, Getenv: func(string) string { return "" }}
	if err := m.Run(context.Background(), []string{"serve", "--help"}); !errors.Is(err, flag.ErrHelp) || !strings.Contains(help.String(), "FRIST_ADDR") || !strings.Contains(help.String(), "-test-clock") {
		t.Errorf("serve --help does not explain flags: %v %s", err, help.String())
	}
	m.Close()
}

// TestKill proves that acknowledged requests survive a SIGKILL right after
// their 201, and that SIGTERM shuts down cleanly with in-flight requests
// finished: it runs the real binary, signals it mid-burst and restarts it.
func TestKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "frist")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) { testSignal(t, bin, sig) })
	}
}

// startBinary runs `frist serve` from bin on a free port with the data
// directory's database and returns the process and its URL. The process
// is killed when the test ends.
func startBinary(t *testing.T, bin, data string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data-dir", data, "--intake-rate-limit", "0")
	cmd.Env = append(os.Environ(), "FRIST_DATABASE_URL="+databaseURL(data))
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 0, 4096)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		chunk := make([]byte, 1024)
		n, err := stdout.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if i := bytes.Index(buf, []byte("running on ")); i >= 0 {
			if j := bytes.IndexByte(buf[i:], '\n'); j >= 0 {
				go io.Copy(io.Discard, stdout)
				return cmd, strings.TrimSpace(string(buf[i+len("running on ") : i+j]))
			}
		}
		if err != nil {
			break
		}
	}
	t.Fatalf("server did not start: %s", buf)
	return nil, ""
}

func testSignal(t *testing.T, bin string, sig syscall.Signal) {
	data := newDataDir(t)
	start := func() (*exec.Cmd, string) { return startBinary(t, bin, data) }
	cmd, url := start()
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	stop := make(chan struct{})
	killNow := make(chan struct{})
	var killOnce sync.Once
	kill := func() { killOnce.Do(func() { close(killNow) }) }
	go func() {
		// The kill comes right after the 300th acknowledgement, or when
		// the burst ends early, or after a minute at the latest.
		select {
		case <-killNow:
		case <-time.After(time.Minute):
		}
		cmd.Process.Signal(sig)
	}()
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := intakeBody("2026-11-01", fmt.Sprintf("kunde%d.%d@example.org", w, i), "Kill-Test", "Bitte nicht verlieren.")
				resp, err := client.Post(url+"/api/v1/requests", "application/json", strings.NewReader(body))
				if err != nil {
					return
				}
				var out struct {
					Number string `json:"ticket_number"`
				}
				err = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode == 201 && err == nil {
					mu.Lock()
					acked = append(acked, out.Number)
					n := len(acked)
					mu.Unlock()
					if n == 300 {
						// Kill right after an acknowledgement, with requests in flight.
						kill()
					}
				}
			}
		}()
	}
	go func() { wg.Wait(); kill() }()
	err := cmd.Wait()
	if sig == syscall.SIGTERM && err != nil {
		t.Errorf("SIGTERM: %v; want a clean exit", err)
	}
	close(stop)
	wg.Wait()
	if len(acked) < 300 {
		t.Fatalf("only %d requests acknowledged before the kill", len(acked))
	}
	out, err := run(t, "", "user", "add", "--data-dir", data, "--email", "check@example.org", "--name", "Check", "--role", "admin")
	if err != nil {
		t.Fatal(out, err)
	}
	out, err = run(t, "", "token", "create", "--data-dir", data, "--email", "check@example.org", "--name", "check")
	if err != nil {
		t.Fatal(out, err)
	}
	words := strings.Fields(out)
	token := words[len(words)-1]
	cmd, url = start()
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	for _, n := range acked {
		req, _ := http.NewRequest("GET", url+"/api/v1/tickets/"+n, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("acknowledged ticket %s lost after %v: status %d", n, sig, resp.StatusCode)
		}
	}
	t.Logf("%d acknowledged tickets all found after %v and restart", len(acked), sig)
}

// TestLoadtest runs `frist loadtest` against the real server: every
// generated request must be accepted, and the queue and search scenarios
// must work with a token.
func TestLoadtest(t *testing.T) {
	t.Parallel()
	s := MustServe(t, "")
	out, err := run(t, "", "loadtest", "--target", s.URL, "--requests", "200", "--concurrency", "8")
	if err != nil {
		t.Fatal(out, err)
	}
	var res struct {
		Requests int `json:"requests"`
		Errors   int `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Requests != 200 || res.Errors != 0 {
		t.Fatalf("intake load test: %s %v", out, err)
	}
	if out, err := run(t, "secret passphrase\n", "user", "add", "--data-dir", s.Dir, "--email", "lena@example.org", "--name", "Lena", "--role", "agent"); err != nil {
		t.Fatal(out, err)
	}
	out, err = run(t, "", "token", "create", "--data-dir", s.Dir, "--email", "lena@example.org", "--name", "load")
	if err != nil {
		t.Fatal(out, err)
	}
	words := strings.Fields(out)
	token := words[len(words)-1]
	for _, args := range [][]string{{"--scenario", "queue"}, {"--scenario", "search", "--query", "rechnung"}} {
		out, err := run(t, "", append([]string{"loadtest", "--target", s.URL, "--requests", "50", "--concurrency", "4", "--token", token}, args...)...)
		if err != nil || json.Unmarshal([]byte(out), &res) != nil || res.Errors != 0 {
			t.Errorf("%v: %s %v", args, out, err)
		}
	}
}

// TestMigrateData moves a SQLite installation to PostgreSQL and compares
// every row of every table, then serves the copy: the search finds what
// it found before and new tickets continue the numbering.
func TestMigrateData(t *testing.T) {
	if storetest.Backend() != "sqlite" {
		t.Skip("runs once, in the SQLite pass")
	}
	target := storetest.Schema(t) // skips without FRIST_TEST_POSTGRES_DSN
	t.Parallel()

	// A used installation: seeded tickets, accounts, a session, a token,
	// an intake with an optional purpose, a reply and a status change.
	dir := t.TempDir()
	if out, err := run(t, "", "loadtest", "--data-dir", dir, "--seed", "1200"); err != nil {
		t.Fatal(out, err)
	}
	s := MustServe(t, dir)
	if out, err := run(t, "a long enough password\n", "user", "add", "--data-dir", dir, "--email", "max@example.org", "--name", "Max Mustermann", "--role", "agent"); err != nil {
		t.Fatal(out, err)
	}
	out, err := run(t, "", "token", "create", "--data-dir", dir, "--email", "max@example.org", "--name", "crm")
	if err != nil {
		t.Fatal(out, err)
	}
	token := strings.Fields(out)[len(strings.Fields(out))-1]
	body := strings.Replace(intakeBody("2026-11-01", "erika@example.org", "Zeppelinwerft Anfrage", "Bitte um Rückruf."), `"accepted":true`, `"accepted":true,"purposes":["satisfaction_survey"]`, 1)
	resp, receipt := post(t, s.URL+"/api/v1/requests", body)
	if resp.StatusCode != 201 {
		t.Fatalf("intake: %d %v", resp.StatusCode, receipt)
	}
	number := receipt["ticket_number"].(string)
	api := func(method, url, body string) (int, string) {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, b := api("POST", s.URL+"/api/v1/tickets/"+number+"/messages", `{"body": "Wir rufen an."}`); code != 201 {
		t.Fatal(code, b)
	}
	if code, b := api("PATCH", s.URL+"/api/v1/tickets/"+number, `{"status": "closed"}`); code != 200 {
		t.Fatal(code, b)
	}
	_, before := api("GET", s.URL+"/api/v1/search?q=zeppelinwerft&limit=100", "")
	s.stop()

	out, err = run(t, "", "migrate-data", "--data-dir", dir, "--to", target)
	if err != nil || !strings.Contains(out, "copied from sqlite to postgres") {
		t.Fatalf("migrate-data: %s %v", out, err)
	}
	if out, err := run(t, "", "migrate-data", "--data-dir", dir, "--to", target); err == nil {
		t.Fatalf("a second copy into a filled database was accepted: %s", out)
	}

	// Every row of every table is there, with the same values.
	dump := func(driver, dsn string) map[string][]string {
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		out := map[string][]string{}
		for _, table := range []string{"settings", "policies", "privacy_notices", "users", "sessions", "api_tokens", "customers", "tickets", "ticket_fields", "messages", "ticket_changes", "consents", "consent_purposes"} {
			rows, err := db.Query(`SELECT * FROM ` + table + ` ORDER BY 1, 2`)
			if err != nil {
				t.Fatal(table, err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				v := make([]any, len(cols))
				p := make([]any, len(cols))
				for i := range v {
					p[i] = &v[i]
				}
				if err := rows.Scan(p...); err != nil {
					t.Fatal(err)
				}
				for i, x := range v {
					switch y := x.(type) {
					case bool: // PostgreSQL's BOOLEAN is SQLite's 0/1
						v[i] = map[bool]int64{false: 0, true: 1}[y]
					case []byte:
						v[i] = string(y)
					}
				}
				out[table] = append(out[table], fmt.Sprint(v...))
			}
			rows.Close()
		}
		return out
	}
	src, dst := dump("sqlite", filepath.Join(dir, "frist.db")), dump("pgx", target)
	if len(src["tickets"]) != 1201 || len(src["consent_purposes"]) == 0 || len(src["users"]) < 2 {
		t.Fatalf("source holds %d tickets, %d consent purposes", len(src["tickets"]), len(src["consent_purposes"]))
	}
	for table, rows := range src {
		if diff := cmp.Diff(rows, dst[table]); diff != "" {
			t.Errorf("%s differs after the copy (-sqlite +postgres):\n%.2000s", table, diff)
		}
	}

	// The copy serves: the same search hits, and numbering continues.
	databases.Store(dir, target)
	s = MustServe(t, dir)
	if _, after := api("GET", s.URL+"/api/v1/search?q=zeppelinwerft&limit=100", ""); after != before {
		t.Errorf("search differs after the copy:\nbefore %.500s\nafter  %.500s", before, after)
	}
	resp, receipt = post(t, s.URL+"/api/v1/requests", intakeBody("2026-11-01", "erika@example.org", "Nach dem Umzug", "Neue Anfrage."))
	if resp.StatusCode != 201 || receipt["ticket_number"] != "F-101202" {
		t.Errorf("intake after the copy: %d %v, want F-101202", resp.StatusCode, receipt["ticket_number"])
	}
}

// TestCluster runs two nodes on one PostgreSQL database, started at the
// same moment: intake on both at once gives unique ticket numbers that
// either node finds, an event published on one node reaches a stream on
// the other, and the periodic jobs run on exactly one node and move to the
// other when that node is killed.
func TestCluster(t *testing.T) {
	if testing.Short() || storetest.Backend() != "postgres" {
		t.Skip("needs PostgreSQL (FRIST_TEST_POSTGRES_DSN); runs in the PostgreSQL pass")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "frist")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	url := storetest.Schema(t)
	dirs := []string{t.TempDir(), t.TempDir()}
	for _, d := range dirs {
		databases.Store(d, url)
	}
	nodes := make([]*exec.Cmd, 2)
	urls := make([]string, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); nodes[i], urls[i] = startBinary(t, bin, dirs[i]) }()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if out, err := run(t, "a long enough password\n", "user", "add", "--data-dir", dirs[0], "--email", "max@example.org", "--name", "Max", "--role", "agent"); err != nil {
		t.Fatal(out, err)
	}
	out, err := run(t, "", "token", "create", "--data-dir", dirs[0], "--email", "max@example.org", "--name", "cluster")
	if err != nil {
		t.Fatal(out, err)
	}
	token := strings.Fields(out)[len(strings.Fields(out))-1]
	get := func(u string) (int, string) {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	// A stream on node 1 sees what node 0 does.
	req, _ := http.NewRequest("GET", urls[1]+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	stream, err := http.DefaultClient.Do(req)
	if err != nil || stream.StatusCode != 200 {
		t.Fatalf("event stream: %v %v", stream, err)
	}
	defer stream.Body.Close()
	lines := make(chan string, 1024)
	go func() {
		buf := make([]byte, 4096)
		var rest string
		for {
			n, err := stream.Body.Read(buf)
			rest += string(buf[:n])
			for {
				i := strings.IndexByte(rest, '\n')
				if i < 0 {
					break
				}
				lines <- rest[:i]
				rest = rest[i+1:]
			}
			if err != nil {
				close(lines)
				return
			}
		}
	}()

	// Intake on both nodes at once.
	var mu sync.Mutex
	numbers := map[string]int{}
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				resp, out := post(t, urls[(w+i)%2]+"/api/v1/requests", intakeBody("2026-11-01", fmt.Sprintf("kunde%d@example.org", i), "Cluster", "Zwei Knoten."))
				if resp.StatusCode != 201 {
					t.Errorf("intake on node %d: %d %v", (w+i)%2, resp.StatusCode, out)
					continue
				}
				mu.Lock()
				numbers[out["ticket_number"].(string)]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(numbers) != 200 {
		t.Errorf("%d distinct ticket numbers for 200 requests", len(numbers))
	}
	for n, count := range numbers {
		if count != 1 {
			t.Errorf("ticket number %s given %d times", n, count)
		}
		if code, _ := get(urls[1] + "/api/v1/tickets/" + n); code != 200 {
			t.Errorf("node 1 does not find %s: %d", n, code)
		}
	}
	created := 0
	deadline := time.After(10 * time.Second)
wait:
	for created < 200 {
		select {
		case l, ok := <-lines:
			if !ok {
				break wait
			}
			if l == "event: ticket.created" {
				created++
			}
		case <-deadline:
			break wait
		}
	}
	if created != 200 {
		t.Errorf("node 1's stream saw %d of 200 ticket.created events", created)
	}

	// Exactly one node runs the periodic jobs; when it dies, the other
	// takes over.
	leaders := func() []bool {
		var out []bool
		for _, u := range urls {
			code, body := get(u + "/healthz")
			out = append(out, code == 200 && strings.Contains(body, `"jobs_leader":true`))
		}
		return out
	}
	leader := -1
	for end := time.Now().Add(15 * time.Second); time.Now().Before(end) && leader < 0; time.Sleep(200 * time.Millisecond) {
		switch l := leaders(); {
		case l[0] && l[1]:
			t.Fatal("both nodes run the periodic jobs")
		case l[0]:
			leader = 0
		case l[1]:
			leader = 1
		}
	}
	if leader < 0 {
		t.Fatal("no node runs the periodic jobs")
	}
	nodes[leader].Process.Signal(syscall.SIGKILL)
	nodes[leader].Wait()
	other := 1 - leader
	took := time.Now()
	for !leaders()[other] {
		if time.Since(took) > 20*time.Second {
			t.Fatalf("node %d did not take over the periodic jobs after node %d was killed", other, leader)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("node %d took over the periodic jobs %s after node %d was killed", other, time.Since(took).Round(100*time.Millisecond), leader)
	if resp, out := post(t, urls[other]+"/api/v1/requests", intakeBody("2026-11-01", "erika@example.org", "Danach", "Noch da.")); resp.StatusCode != 201 {
		t.Errorf("intake after the kill: %d %v", resp.StatusCode, out)
	}
}
