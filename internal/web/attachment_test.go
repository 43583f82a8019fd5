package web

import (
	"bytes"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"frist/internal/attachment"
	"frist/internal/auth"
)

// upload is a file a test attaches to a form.
type upload struct {
	name string
	data []byte
}

// postMultipart posts a form with files as a browser does
// (multipart/form-data, the files in the "attachments" input).
func (b *browser) postMultipart(path string, form url.Values, files ...upload) response {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if len(files) == 0 {
		// A file input left empty still sends an empty part.
		w, _ := mw.CreateFormFile("attachments", "")
		w.Write(nil)
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("attachments", f.name)
		if err != nil {
			b.t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	return b.doBody("POST", path, &buf, mw.FormDataContentType())
}

func (b *browser) doBody(method, path string, body *bytes.Buffer, contentType string) response {
	b.t.Helper()
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
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

// storedFiles counts the files in the attachment store.
func storedFiles(t *testing.T, e *testEnv) int {
	t.Helper()
	n := 0
	filepath.WalkDir(e.Desk.Files().Dir(), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	return n
}

var pdf = []byte("%PDF-1.7\nRechnung 2026-11\n")

func TestAttachmentsCustomer(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	check(t, e.browser(t).get("/?type=invoice_question"), 200,
		[]string{`enctype="multipart/form-data"`, `<input type="file" id="attachments" name="attachments" multiple aria-describedby="attachments-help"`, "höchstens 10 MB"}, nil)

	b := e.browser(t)
	res := b.postMultipart("/requests", validForm(e, "invoice_question"),
		upload{`C:\Users\Erika\Rechnung März.pdf`, pdf}, upload{"<b>x.html", []byte("<html><script>alert(1)</script>")})
	check(t, res, 200, []string{"Anfrage erhalten"}, nil)
	if n := storedFiles(t, e); n != 2 {
		t.Fatalf("%d files stored", n)
	}
	link := regexp.MustCompile(`http://frist.test(/t/[A-Za-z0-9_-]+)`).FindStringSubmatch(res.body)
	if link == nil {
		t.Fatal("no status link")
	}
	page := b.get(link[1])
	check(t, page, 200, []string{"Anhänge", ">Rechnung März.pdf</a>", "application/pdf, 26 B", "&lt;b&gt;x.html"}, []string{"<b>x"})
	hrefs := regexp.MustCompile(`href="(/t/[^"]+/attachments/\d+)"`).FindAllStringSubmatch(page.body, -1)
	if len(hrefs) != 2 {
		t.Fatalf("%d download links", len(hrefs))
	}
	dl := b.get(hrefs[0][1])
	check(t, dl, 200, nil, nil)
	if dl.body != string(pdf) {
		t.Errorf("download = %q", dl.body)
	}
	for k, want := range map[string]string{
		"Content-Type":            "application/pdf",
		"Content-Disposition":     `attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`,
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "sandbox",
		"Cache-Control":           "private, no-store",
		"Referrer-Policy":         "no-referrer",
	} {
		if got := dl.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	// The HTML file is sniffed as such but only ever downloaded, sandboxed.
	html := b.get(hrefs[1][1])
	if ct, cd := html.header.Get("Content-Type"), html.header.Get("Content-Disposition"); ct != "text/html; charset=utf-8" || !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("html file served as %q, %q", ct, cd)
	}
	// Another ticket's status link does not reach these files.
	other := b.post("/requests", validForm(e, "general_question"))
	otherLink := regexp.MustCompile(`http://frist.test(/t/[A-Za-z0-9_-]+)`).FindStringSubmatch(other.body)
	aid := hrefs[0][1][strings.LastIndex(hrefs[0][1], "/"):]
	check(t, b.get(otherLink[1]+"/attachments"+aid), 404, nil, nil)
	check(t, b.get(link[1]+"/attachments/99999"), 404, nil, nil)
	check(t, b.get("/t/not-a-secret/attachments/1"), 404, nil, nil)
}

func TestAttachmentsCustomerInvalid(t *testing.T) {
	t.Parallel()
	six := make([]upload, attachment.MaxFiles+1)
	for i := range six {
		six[i] = upload{"a.txt", []byte("a")}
	}
	for _, tc := range []struct {
		name  string
		files []upload
		lang  string
		want  []string
	}{
		{"ErrTooMany", six, "", []string{"Höchstens 5 Dateien je Nachricht.", `href="#attachments"`, `id="attachments-error"`, "Bitte wählen Sie Ihre Dateien noch einmal aus"}},
		{"ErrTooLarge", []upload{{"gross.bin", bytes.Repeat([]byte("x"), attachment.MaxFileBytes+1)}}, "en", []string{"A file may be at most 10 MB.", "Please choose your files again"}},
		{"ErrEmpty", []upload{{"leer.txt", nil}}, "", []string{"Die Datei ist leer."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			b := e.browser(t)
			b.lang = tc.lang
			form := validForm(e, "invoice_question")
			form.Set("subject", "Meine besondere Betreffzeile")
			res := b.postMultipart("/requests", form, tc.files...)
			check(t, res, 422, append(tc.want, `value="Meine besondere Betreffzeile"`, `aria-invalid="true"`), nil)
			if n := countTickets(t, e); n != 0 {
				t.Errorf("%d tickets stored", n)
			}
			if n := storedFiles(t, e); n != 0 {
				t.Errorf("%d files stored", n)
			}
		})
	}
	t.Run("EmptyInputIsNoFile", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		check(t, e.browser(t).postMultipart("/requests", validForm(e, "invoice_question")), 200, []string{"Anfrage erhalten"}, nil)
		if n := storedFiles(t, e); n != 0 {
			t.Errorf("%d files stored", n)
		}
	})
}

func TestAttachmentsAgent(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	// An agent of the ticket's department sees all of it and may open its
	// files; an administrator sees sensitive data masked and may not.
	e.MustCreateAgent(t, "bert@example.org", "Bert Buchhaltung", auth.Agent, "billing")
	e.MustCreateAgent(t, "admin@example.org", "Admin", auth.Admin)
	e.MustCreateAgent(t, "support@example.org", "Sam Support", auth.Agent, "support")
	rc := e.MustSubmit(t, e.Request("invoice_question")) // billing
	number := rc.Ticket.Number()
	b := e.browser(t)
	b.login("bert@example.org")
	check(t, b.get("/tickets/"+number), 200, []string{`enctype="multipart/form-data"`, `<input type="file" id="reply-files" name="attachments" multiple`}, nil)

	res := b.postMultipart("/tickets/"+number+"/reply", url.Values{"body": {"Anbei die Gutschrift."}, "visibility": {"public"}}, upload{"Gutschrift.pdf", pdf})
	if res.status != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.status)
	}
	res = b.postMultipart("/tickets/"+number+"/reply", url.Values{"body": {"Intern geprüft."}, "visibility": {"internal"}}, upload{"intern.txt", []byte("nur intern")})
	if res.status != http.StatusSeeOther {
		t.Fatalf("note: %d", res.status)
	}
	page := b.get("/tickets/" + number)
	check(t, page, 200, []string{">Gutschrift.pdf</a>", ">intern.txt</a>"}, nil)
	hrefs := regexp.MustCompile(`href="(/tickets/F-\d+/attachments/\d+)"`).FindAllStringSubmatch(page.body, -1)
	if len(hrefs) != 2 {
		t.Fatalf("%d download links", len(hrefs))
	}
	dl := b.get(hrefs[0][1])
	if dl.status != 200 || dl.body != string(pdf) || dl.header.Get("Content-Security-Policy") != "sandbox" || !strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("download: %d %q %v", dl.status, dl.body, dl.header)
	}

	t.Run("ErrOtherDepartment", func(t *testing.T) {
		s := e.browser(t)
		s.login("support@example.org")
		check(t, s.get(hrefs[0][1]), 404, nil, []string{"%PDF"})
	})
	t.Run("ErrMaskedRole", func(t *testing.T) {
		s := e.browser(t)
		s.login("admin@example.org")
		check(t, s.get("/tickets/"+number), 200, []string{"[Anhang 1]", "nicht abrufbar", "Anhänge lassen sich nicht verdecken"}, []string{"Gutschrift.pdf", hrefs[0][1]})
		check(t, s.get(hrefs[0][1]), 403, []string{"Kein Zugriff"}, []string{"%PDF", "Gutschrift"})
	})
	t.Run("ErrSignedOut", func(t *testing.T) {
		if res := e.browser(t).get(hrefs[0][1]); res.status != http.StatusSeeOther {
			t.Fatalf("status %d", res.status)
		}
	})
	t.Run("CustomerSeesPublicOnly", func(t *testing.T) {
		c := e.browser(t)
		status := c.get("/t/" + rc.StatusSecret)
		check(t, status, 200, []string{">Gutschrift.pdf</a>"}, []string{"intern.txt"})
		noteID := hrefs[1][1][strings.LastIndex(hrefs[1][1], "/"):]
		check(t, c.get("/t/"+rc.StatusSecret+"/attachments"+noteID), 404, nil, []string{"nur intern"})
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		before := storedFiles(t, e)
		six := make([]upload, attachment.MaxFiles+1)
		for i := range six {
			six[i] = upload{"a.txt", []byte("a")}
		}
		res := b.postMultipart("/tickets/"+number+"/reply", url.Values{"body": {"Noch eine Antwort"}, "visibility": {"public"}}, six...)
		check(t, res, 422, []string{"Höchstens 5 Dateien je Nachricht.", `href="#reply-files"`, `id="reply-files-error"`, "Noch eine Antwort"}, nil)
		if n := storedFiles(t, e); n != before {
			t.Errorf("%d files stored, want %d", n, before)
		}
	})
}
