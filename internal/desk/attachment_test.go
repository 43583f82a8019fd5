package desk_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frist/internal/attachment"
	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/fault"
	"frist/internal/store"
	"frist/internal/ticket"
)

// filesIn counts the files in the attachment store, temporary ones too.
func filesIn(t *testing.T, e *desktest.Env) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(e.Desk.Files().Dir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func read(t *testing.T, r io.ReadCloser) string {
	t.Helper()
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var pdf = []byte("%PDF-1.7\nRechnung 2026-11\n")

func TestAttachments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	// An agent of the ticket's department sees all of it and may open its
	// files (masking_test.go covers the roles that may not).
	billing := e.MustCreateAgent(t, "billing@example.org", "Billing", auth.Agent, "billing")
	support := e.MustCreateAgent(t, "support@example.org", "Support", auth.Agent, "support")

	r := e.Request("invoice_question")
	r.Attachments = []desk.Upload{
		{Name: `C:\Users\Erika\Rechnung.pdf`, ContentType: "image/png", Data: pdf},
		{Name: "notiz.txt", Data: []byte("Kundennummer K-1042")},
	}
	rc := e.MustSubmit(t, r)
	id := rc.Ticket.ID
	if n := filesIn(t, e); n != 2 {
		t.Fatalf("%d files stored", n)
	}

	v, err := e.Desk.Ticket(ctx, billing, id)
	if err != nil {
		t.Fatal(err)
	}
	list := v.Attachments[v.Messages[0].ID]
	if len(list) != 2 || list[0].Name != "Rechnung.pdf" || list[0].ContentType != "application/pdf" || list[0].Size != int64(len(pdf)) ||
		list[1].Name != "notiz.txt" || list[1].ContentType != "text/plain; charset=utf-8" || !list[0].Public {
		t.Fatalf("attachments = %+v", list)
	}

	t.Run("Download", func(t *testing.T) {
		meta, f, err := e.Desk.Attachment(ctx, billing, id, list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := read(t, f); got != string(pdf) || meta.Name != "Rechnung.pdf" {
			t.Fatalf("got %q %+v", got, meta)
		}
		_, f, err = e.Desk.CustomerAttachment(ctx, rc.StatusSecret, list[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := read(t, f); got != "Kundennummer K-1042" {
			t.Fatalf("customer got %q", got)
		}
	})
	t.Run("ErrOtherDepartment", func(t *testing.T) {
		if _, _, err := e.Desk.Attachment(ctx, support, id, list[0].ID); fault.Code(err) != fault.NotFound {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrOtherTicket", func(t *testing.T) {
		other := e.MustSubmit(t, e.Request("invoice_question"))
		if _, _, err := e.Desk.Attachment(ctx, billing, other.Ticket.ID, list[0].ID); fault.Code(err) != fault.NotFound {
			t.Fatalf("agent: %v", err)
		}
		if _, _, err := e.Desk.CustomerAttachment(ctx, other.StatusSecret, list[0].ID); fault.Code(err) != fault.NotFound {
			t.Fatalf("customer: %v", err)
		}
	})

	t.Run("Reply", func(t *testing.T) {
		m, err := e.Desk.Reply(ctx, billing, id, desk.ReplyInput{Body: "Anbei die Gutschrift.", Attachments: []desk.Upload{{Name: "Gutschrift.pdf", Data: pdf}}})
		if err != nil {
			t.Fatal(err)
		}
		note, err := e.Desk.Reply(ctx, billing, id, desk.ReplyInput{Body: "Intern: geprüft.", Internal: true, Attachments: []desk.Upload{{Name: "intern.txt", Data: []byte("intern")}}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Desk.MessageAttachments(ctx, billing, id, m.ID)
		if err != nil || len(got) != 1 || got[0].Name != "Gutschrift.pdf" {
			t.Fatalf("reply attachments = %+v, %v", got, err)
		}
		internal, err := e.Desk.MessageAttachments(ctx, billing, id, note.ID)
		if err != nil || len(internal) != 1 {
			t.Fatalf("note attachments = %+v, %v", internal, err)
		}
		// The customer sees the reply's file, never the note's.
		cv, err := e.Desk.CustomerTicket(ctx, rc.StatusSecret)
		if err != nil {
			t.Fatal(err)
		}
		if len(cv.Attachments[m.ID]) != 1 || len(cv.Attachments[note.ID]) != 0 {
			t.Fatalf("customer view attachments = %+v", cv.Attachments)
		}
		if _, _, err := e.Desk.CustomerAttachment(ctx, rc.StatusSecret, internal[0].ID); fault.Code(err) != fault.NotFound {
			t.Fatalf("customer opened a note's file: %v", err)
		}
		if _, f, err := e.Desk.Attachment(ctx, billing, id, internal[0].ID); err != nil {
			t.Fatal(err)
		} else {
			f.Close()
		}
	})

	t.Run("ErrReplyFailsRemovesFiles", func(t *testing.T) {
		before := filesIn(t, e)
		closed := ticket.Status("no_such_status")
		_, err := e.Desk.Reply(ctx, billing, id, desk.ReplyInput{Body: "x", Status: &closed, Attachments: []desk.Upload{{Name: "a.txt", Data: []byte("a")}}})
		if fault.Code(err) != fault.Invalid {
			t.Fatalf("got %v", err)
		}
		if n := filesIn(t, e); n != before {
			t.Fatalf("%d files, want %d", n, before)
		}
	})

	t.Run("PurgeFiles", func(t *testing.T) {
		key, err := e.Desk.Files().Put([]byte("gone"))
		if err != nil {
			t.Fatal(err)
		}
		before := filesIn(t, e)
		err = e.DB.Write(ctx, func(tx *store.Tx) error { return tx.QueueFileDeletions([]string{key, "not-a-key"}) })
		if err != nil {
			t.Fatal(err)
		}
		n, err := e.Desk.PurgeFiles(ctx)
		if err != nil || n != 2 {
			t.Fatalf("PurgeFiles = %d, %v", n, err)
		}
		if got := filesIn(t, e); got != before-1 {
			t.Fatalf("%d files, want %d", got, before-1)
		}
		if n, err := e.Desk.PurgeFiles(ctx); err != nil || n != 0 {
			t.Fatalf("second PurgeFiles = %d, %v", n, err)
		}
	})
}

func TestAttachmentsInvalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	big := bytes.Repeat([]byte("x"), attachment.MaxFileBytes+1)
	six := make([]desk.Upload, attachment.MaxFiles+1)
	for i := range six {
		six[i] = desk.Upload{Name: "a.txt", Data: []byte("a")}
	}
	nine := bytes.Repeat([]byte("y"), 9<<20)
	for name, tc := range map[string]struct {
		files  []desk.Upload
		fields []string
		limit  bool
	}{
		"ErrEmpty":         {[]desk.Upload{{Name: "a.txt", Data: pdf}, {Name: "leer.txt"}}, []string{"attachments[1]:empty_file"}, false},
		"ErrFileTooLarge":  {[]desk.Upload{{Name: "gross.bin", Data: big}}, []string{"attachments[0]:file_too_large"}, true},
		"ErrTooMany":       {six, []string{"attachments:too_many_files"}, true},
		"ErrTotalTooLarge": {[]desk.Upload{{Name: "1", Data: nine}, {Name: "2", Data: nine}, {Name: "3", Data: nine}}, []string{"attachments:attachments_too_large"}, true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := desktest.New(t)
			admin := e.MustCreateAgent(t, "admin@example.org", "Admin", auth.Admin)
			r := e.Request("general_question")
			r.Name = "" // reported together with the files
			r.Attachments = tc.files
			_, err := e.Desk.SubmitRequest(ctx, r)
			var got []string
			for _, f := range fault.FieldsOf(err) {
				got = append(got, f.Field+":"+f.Message)
			}
			want := append([]string{"name:required"}, tc.fields...)
			if fault.Code(err) != fault.Invalid || strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("got %v: %v, want %v", err, got, want)
			}
			if desk.AttachmentLimitError(err) != tc.limit {
				t.Errorf("AttachmentLimitError = %v", !tc.limit)
			}
			tickets, _, err := e.Desk.Tickets(ctx, admin, store.TicketFilter{})
			if err != nil || len(tickets) != 0 {
				t.Fatalf("%d tickets stored, %v", len(tickets), err)
			}
			if n := filesIn(t, e); n != 0 {
				t.Fatalf("%d files stored", n)
			}
			// The same on a reply.
			tk := e.MustSubmit(t, e.Request("general_question")).Ticket
			if _, err := e.Desk.Reply(ctx, admin, tk.ID, desk.ReplyInput{Body: "Antwort", Attachments: tc.files}); fault.Code(err) != fault.Invalid {
				t.Fatalf("reply: %v", err)
			}
			if n := filesIn(t, e); n != 0 {
				t.Fatalf("%d files stored after reply", n)
			}
		})
	}
}

func TestSweepOrphanFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	r := e.Request("general_question")
	r.Attachments = []desk.Upload{{Name: "a.txt", Data: []byte("behalten")}}
	e.MustSubmit(t, r)
	files := e.Desk.Files()
	orphan, err := files.Put([]byte("verwaist"))
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := files.Put([]byte("gerade geschrieben"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := files.Path(orphan)
	temp := filepath.Join(filepath.Dir(p), ".tmp-123")
	if err := os.WriteFile(temp, []byte("halb"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Everything but the fresh orphan is two hours old.
	old := time.Now().Add(-2 * time.Hour)
	filepath.WalkDir(files.Dir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != fresh {
			os.Chtimes(p, old, old)
		}
		return err
	})
	n, err := e.Desk.SweepOrphanFiles(ctx)
	if err != nil || n != 2 {
		t.Fatalf("SweepOrphanFiles = %d, %v", n, err)
	}
	if _, err := files.Open(orphan); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("orphan still there: %v", err)
	}
	if _, err := os.Stat(temp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("temporary file still there: %v", err)
	}
	if got := filesIn(t, e); got != 2 {
		t.Errorf("%d files left, want the attachment and the fresh file", got)
	}
}
