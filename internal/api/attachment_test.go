package api_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"frist/internal/attachment"
)

var pdf = []byte("%PDF-1.7\nRechnung 2026-11\n")

// storedFiles counts the files in the attachment store.
func (e *env) storedFiles(t *testing.T) int {
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

func file(name string, data []byte) map[string]any {
	return map[string]any{"name": name, "content_type": "image/png", "data": base64.StdEncoding.EncodeToString(data)}
}

// ticketAttachments reads a ticket's messages' attachments.
type ticketAttachments struct {
	Messages []struct {
		ID          int64 `json:"id"`
		Attachments []struct {
			ID          int64  `json:"id"`
			Name        string `json:"name"`
			ContentType string `json:"content_type"`
			Size        int64  `json:"size"`
			URL         string `json:"url"`
		} `json:"attachments"`
	} `json:"messages"`
}

func TestAttachmentsAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	status, _, body := e.call(t, "", "POST", "/api/v1/requests", intake(func(m map[string]any) {
		m["request_type"] = "general_question" // support: the billing agent may not see it
		delete(m, "fields")
		m["attachments"] = []any{file("../Rechnung März.pdf", pdf), file("notiz.txt", []byte("Kundennummer K-1042"))}
	}))
	if status != 201 {
		t.Fatalf("intake: %d %s", status, body)
	}
	var rc struct {
		TicketNumber string `json:"ticket_number"`
	}
	json.Unmarshal([]byte(body), &rc)
	path := "/api/v1/tickets/" + rc.TicketNumber

	status, _, body = e.call(t, "agent", "GET", path, "")
	var tk ticketAttachments
	if err := json.Unmarshal([]byte(body), &tk); err != nil || status != 200 {
		t.Fatalf("ticket: %d %v", status, err)
	}
	list := tk.Messages[0].Attachments
	if len(list) != 2 || list[0].Name != "Rechnung März.pdf" || list[0].ContentType != "application/pdf" || list[0].Size != int64(len(pdf)) ||
		!strings.HasPrefix(list[0].URL, path+"/attachments/") {
		t.Fatalf("attachments = %+v", list)
	}

	t.Run("Download", func(t *testing.T) {
		status, h, got := e.call(t, "agent", "GET", list[0].URL, "")
		if status != 200 || got != string(pdf) {
			t.Fatalf("download: %d %q", status, got)
		}
		for k, want := range map[string]string{
			"Content-Type":            "application/pdf",
			"Content-Disposition":     `attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`,
			"X-Content-Type-Options":  "nosniff",
			"Content-Security-Policy": "sandbox",
			"Cache-Control":           "private, no-store",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		status, _, got = e.call(t, "agent", "GET", list[0].URL, "", "Range", "bytes=0-3")
		if status != 206 || got != "%PDF" {
			t.Errorf("range: %d %q", status, got)
		}
	})
	t.Run("ErrPermission", func(t *testing.T) {
		if status, _, body := e.call(t, "billing", "GET", list[0].URL, ""); status != 404 || strings.Contains(body, "PDF") {
			t.Errorf("other department: %d %s", status, body)
		}
		if status, _, _ := e.call(t, "", "GET", list[0].URL, ""); status != 401 {
			t.Errorf("no token: %d", status)
		}
		if status, _, _ := e.call(t, "agent", "GET", path+"/attachments/99999", ""); status != 404 {
			t.Errorf("unknown id: %d", status)
		}
		if status, _, _ := e.call(t, "agent", "GET", path+"/attachments/x", ""); status != 404 {
			t.Errorf("bad id: %d", status)
		}
	})
	t.Run("ErrMaskedRole", func(t *testing.T) {
		// Administrators see sensitive data masked; files cannot be masked.
		_, _, body := e.call(t, "admin", "GET", path, "")
		if strings.Contains(body, "Rechnung März.pdf") || !strings.Contains(body, `"name":"[Anhang 1]"`) || !strings.Contains(body, `"attachments":false`) {
			t.Errorf("admin's view of the files: %s", body)
		}
		if status, _, got := e.call(t, "admin", "GET", list[0].URL, ""); status != 403 || strings.Contains(got, "%PDF") || !strings.Contains(got, `"code":"forbidden"`) {
			t.Errorf("admin download: %d %s", status, got)
		}
	})
	t.Run("Message", func(t *testing.T) {
		in, _ := json.Marshal(map[string]any{"body": "Anbei die Gutschrift.", "attachments": []any{file("Gutschrift.pdf", pdf)}})
		status, _, body := e.call(t, "agent", "POST", path+"/messages", string(in))
		if status != 201 {
			t.Fatalf("message: %d %s", status, body)
		}
		var m struct {
			Attachments []struct {
				Name string `json:"name"`
				URL  string `json:"url"`
			} `json:"attachments"`
		}
		json.Unmarshal([]byte(body), &m)
		if len(m.Attachments) != 1 || m.Attachments[0].Name != "Gutschrift.pdf" {
			t.Fatalf("message attachments: %s", body)
		}
		if status, _, got := e.call(t, "agent", "GET", m.Attachments[0].URL, ""); status != 200 || got != string(pdf) {
			t.Errorf("download: %d %q", status, got)
		}
		// Without files a message answers an empty list.
		status, _, body = e.call(t, "agent", "POST", path+"/messages", `{"body": "Noch etwas.", "internal": true}`)
		if status != 201 || !strings.Contains(body, `"attachments":[]`) {
			t.Errorf("plain message: %d %s", status, body)
		}
	})
	if strings.Contains(e.log.String(), "Rechnung") || strings.Contains(e.log.String(), "Gutschrift") {
		t.Errorf("a file name reached the log:\n%s", e.log)
	}
}

func TestAttachmentsAPIInvalid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	six := make([]any, attachment.MaxFiles+1)
	for i := range six {
		six[i] = file("a.txt", []byte("a"))
	}
	big := bytes.Repeat([]byte("x"), attachment.MaxFileBytes+1)
	for _, tc := range []struct {
		name   string
		files  []any
		status int
		code   string
		fields string
	}{
		{"ErrBase64", []any{file("a.txt", pdf), map[string]any{"name": "b.txt", "data": "not base64!"}}, 400, "malformed", "attachments[1].data:invalid_base64"},
		{"ErrTooMany", six, 413, "too_large", "attachments:too_many_files"},
		{"ErrFileTooLarge", []any{file("gross.bin", big)}, 413, "too_large", "attachments[0]:file_too_large"},
		{"ErrEmpty", []any{file("leer.txt", nil)}, 422, "invalid", "attachments[0]:empty_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.call(t, "", "POST", "/api/v1/requests", intake(func(m map[string]any) { m["attachments"] = tc.files }))
			var p struct {
				Code   string `json:"code"`
				Errors []struct {
					Field string `json:"field"`
					Code  string `json:"code"`
				} `json:"errors"`
			}
			json.Unmarshal([]byte(body), &p)
			var fields []string
			for _, f := range p.Errors {
				fields = append(fields, f.Field+":"+f.Code)
			}
			if status != tc.status || p.Code != tc.code || strings.Join(fields, " ") != tc.fields {
				t.Fatalf("got %d %s", status, body)
			}
		})
	}
	t.Run("ErrBodyTooLarge", func(t *testing.T) {
		huge := strings.Repeat("A", attachment.MaxRequestBytes)
		status, _, body := e.call(t, "", "POST", "/api/v1/requests", intake(func(m map[string]any) {
			m["attachments"] = []any{map[string]any{"name": "a.bin", "data": huge}}
		}))
		if status != 413 {
			t.Fatalf("got %d %s", status, body)
		}
	})
	t.Run("ErrMessage", func(t *testing.T) {
		status, _, body := e.call(t, "", "POST", "/api/v1/requests", intake(nil))
		if status != 201 {
			t.Fatal(body)
		}
		var rc struct {
			TicketNumber string `json:"ticket_number"`
		}
		json.Unmarshal([]byte(body), &rc)
		in, _ := json.Marshal(map[string]any{"body": "Antwort", "attachments": six})
		if status, _, body := e.call(t, "admin", "POST", "/api/v1/tickets/"+rc.TicketNumber+"/messages", string(in)); status != 413 {
			t.Fatalf("got %d %s", status, body)
		}
	})
	if n := e.count(t); n != 1 {
		t.Errorf("%d tickets stored, want the one valid request", n)
	}
	if n := e.storedFiles(t); n != 0 {
		t.Errorf("%d files stored", n)
	}
}
