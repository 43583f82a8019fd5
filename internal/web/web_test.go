package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"frist/internal/auth"
	"frist/internal/desk/desktest"
	"frist/internal/fault"
	"frist/internal/store"
	"frist/internal/ticket"
)

// testEnv is a desk on its own database behind the page routes.
type testEnv struct {
	*desktest.Env
	srv *httptest.Server
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	e := desktest.New(t)
	h, err := New(Options{Desk: e.Desk, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://frist.test"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &testEnv{Env: e, srv: srv}
}

// browser is a cookie-keeping client that does not follow redirects, so
// that tests see them.
type browser struct {
	t    *testing.T
	e    *testEnv
	c    *http.Client
	lang string // Accept-Language
}

func (e *testEnv) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is what a test looks at.
type response struct {
	status int
	body   string
	header http.Header
}

func (b *browser) do(method, path string, form url.Values, header ...string) response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return response{status: res.StatusCode, body: string(data), header: res.Header}
}

func (b *browser) get(path string) response { b.t.Helper(); return b.do("GET", path, nil) }

func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	return b.do("POST", path, form)
}

// login signs in with desktest.Password and fails the test otherwise.
func (b *browser) login(email string) {
	b.t.Helper()
	res := b.post("/login", url.Values{"email": {email}, "password": {desktest.Password}})
	if res.status != http.StatusSeeOther {
		b.t.Fatalf("login %s: status %d", email, res.status)
	}
}

// check asserts a response's status and that the body contains every
// want and none of not.
func check(t *testing.T, res response, status int, want, not []string) {
	t.Helper()
	if res.status != status {
		t.Errorf("status = %d, want %d", res.status, status)
	}
	for _, w := range want {
		if !strings.Contains(res.body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
	for _, n := range not {
		if strings.Contains(res.body, n) {
			t.Errorf("body contains %q", n)
		}
	}
	if t.Failed() && testing.Verbose() {
		t.Logf("body:\n%s", res.body)
	}
}

// validForm returns the form a browser posts for a valid request.
func validForm(e *testEnv, requestType string) url.Values {
	r := e.Request(requestType)
	v := url.Values{
		"request_type":     {r.RequestType},
		"name":             {r.Name},
		"email":            {r.Email},
		"subject":          {r.Subject},
		"message":          {r.Message},
		"language":         {"de"},
		"notice_version":   {r.Consent.NoticeVersion},
		"consent_accepted": {"yes"},
	}
	for k, x := range r.Fields {
		v.Set("field_"+k, x)
	}
	return v
}

// countTickets returns how many tickets the database holds.
func countTickets(t *testing.T, e *testEnv) int {
	t.Helper()
	var m map[ticket.Status]int
	err := e.DB.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		m, err = tx.CountTickets(nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/queue", "/queue"},
		{"/tickets/F-100001?x=1", "/tickets/F-100001?x=1"},
		{"", "/d"},
		{"//evil.example", "/d"},
		{"/\\evil.example", "/d"},
		{"https://evil.example/", "/d"},
		{"queue", "/d"},
		{"/a\r\nSet-Cookie: x", "/d"},
	} {
		if got := safeNext(tc.in, "/d"); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "de"},
		{"en", "en"},
		{"en-US,en;q=0.9", "en"},
		{"de-DE,de;q=0.9,en;q=0.8", "de"},
		{"en;q=0.8,de;q=0.9", "de"},
		{"fr,en;q=0.5", "en"},
		{"fr", "de"},
		{"en;q=0", "de"},
	} {
		if got := fromAcceptLanguage(tc.in); got != tc.want {
			t.Errorf("fromAcceptLanguage(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data")
	}
	winter := time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC).In(berlin)
	summer := time.Date(2026, 7, 1, 10, 5, 0, 0, time.UTC).In(berlin)
	for _, tc := range []struct {
		lang string
		t    time.Time
		want string
	}{
		{"de", winter, "30.11.2026, 12:00 Uhr (MEZ)"},
		{"en", winter, "30 Nov 2026, 12:00 CET"},
		{"de", summer, "01.07.2026, 12:05 Uhr (MESZ)"},
		{"en", summer, "1 Jul 2026, 12:05 CEST"},
	} {
		if got := formatDate(tc.lang, tc.t); got != tc.want {
			t.Errorf("formatDate(%s, %v) = %q, want %q", tc.lang, tc.t, got, tc.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	join := func(segs []segment) (plain, marked string) {
		for _, s := range segs {
			plain += s.Text
			if s.Mark {
				marked += "[" + s.Text + "]"
			}
		}
		return
	}
	long := strings.Repeat("Vorrede ", 40) + "Die Rechnung ist falsch. " + strings.Repeat("Nachsatz ", 40)
	plain, marked := join(snippet(long, []string{"rechnung"}, 160))
	if !strings.Contains(plain, "Rechnung ist falsch") || marked != "[Rechnung]" {
		t.Errorf("snippet = %q, marked %q", plain, marked)
	}
	if n := len([]rune(plain)); n > 164 {
		t.Errorf("snippet has %d characters", n)
	}
	if !strings.HasPrefix(plain, "…") || !strings.HasSuffix(plain, "…") {
		t.Errorf("snippet lacks ellipses: %q", plain)
	}
	plain, _ = join(snippet("<b>kurz</b>", []string{"nichts"}, 160))
	if plain != "<b>kurz</b>" {
		t.Errorf("short text = %q", plain)
	}
}

// TestTranslations checks that every key the templates use and every
// validation message key has a German and an English text.
func TestTranslations(t *testing.T) {
	keys := []string{
		"required", "too_long", "invalid_email", "invalid_date", "invalid_option", "invalid_format",
		"invalid_characters", "unknown_field", "notice_required", "notice_outdated", "unknown_request_type",
		"unknown_purpose", "invalid_transition", "weak_password",
		"status_new", "status_open", "status_waiting", "status_resolved", "status_closed",
		"priority_low", "priority_normal", "priority_high", "priority_urgent",
	}
	for _, r := range auth.Roles {
		keys = append(keys, "role_"+string(r))
	}
	re := regexp.MustCompile(`\.Tf? "([a-z_-]+)"`)
	files, _ := os.ReadDir("templates")
	for _, f := range files {
		b, err := os.ReadFile("templates/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
	}
	goFiles, _ := os.ReadDir(".")
	reGo := regexp.MustCompile(`\.Tf?\("([a-z_-]+)"`)
	for _, f := range goFiles {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f.Name())
		for _, m := range reGo.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], "_") { // a prefix joined with a value
				keys = append(keys, m[1])
			}
		}
	}
	for _, k := range keys {
		x, ok := texts[k]
		if !ok && fault.Text("de", k) != "" && fault.Text("en", k) != "" {
			continue // a validation message key, translated in fault
		}
		if !ok || x.de == "" || x.en == "" {
			t.Errorf("translation %q missing", k)
		}
	}
}
