package desk_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/clock"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// letters returns n random lower-case letters.
func letters(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b)
}

// digits returns n random digits, the first not 0.
func digits(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	if b[0] == '0' {
		b[0] = '7'
	}
	return string(b)
}

// trainingSource is an installation full of personal data for the
// training export to leave behind.
type trainingSource struct {
	e       *desktest.Env
	dpo     *desk.Agent
	markers []string // must not appear in any export
	numbers []string // every ticket's real number
	ids     []int64  // T1 and T2 (exportable), T3 (held), T4 (restricted)
	orderOn string   // a date in T1's message, 03.11.2026
}

// newTrainingSource seeds four tickets: two of the same customer with a
// marker in every field, the message text (name, address, phone, IBAN,
// card, birthplace, date of birth, another ticket's number), an agent's
// reply signed with the agent's name and address, an internal note, a
// customer reply, tags and an attachment; a third under a legal hold and
// a fourth restricted.
func newTrainingSource(t *testing.T) *trainingSource {
	t.Helper()
	ctx := context.Background()
	e := desktest.New(t)
	y := strings.Replace(string(policy.DefaultYAML()), "      - {id: payment_method}\n",
		"      - {id: payment_method}\n      - {id: birthplace}\n      - {id: birth_date}\n      - {id: phone}\n      - {id: order_number}\n", 1)
	if _, err := e.Desk.ApplyPolicy(ctx, []byte(y)); err != nil {
		t.Fatal(err)
	}
	s := &trainingSource{e: e}
	m := func(x string) string {
		s.markers = append(s.markers, x)
		return x
	}
	e.Clock.Set(berlin(t, "2026-11-02 09:15"))
	s.dpo = e.MustCreateAgent(t, "dora@example.org", "Dora Datenschutz", auth.PrivacyOfficer)
	agentFirst, agentLast := "Mk"+letters(t, 9), "Mk"+letters(t, 9)
	agentMail := m("mk"+letters(t, 10)) + "@example.org"
	m(agentFirst)
	m(agentLast)
	agent := e.MustCreateAgent(t, agentMail, agentFirst+" "+agentLast, auth.Agent)

	first, last := m("Mk"+letters(t, 10)), m("Mk"+letters(t, 10))
	email := m("mk"+letters(t, 10)) + "@example.org"
	phone := m(digits(t, 9))
	birthplace := m("Mk" + letters(t, 10))
	customerNumber := "K-" + m(letters(t, 10))
	s.orderOn = "03.11.2026"

	// T1: an invoice question with every field filled.
	r := e.Request("invoice_question")
	r.Name, r.Email = first+" "+last, email
	r.Subject = "Rechnung für " + last
	r.Fields = map[string]string{
		"customer_number": customerNumber,
		"invoice_number":  m("R-" + letters(t, 12)),
		"order_number":    m("B-" + letters(t, 12)),
		"payment_method":  "card",
		"birthplace":      birthplace,
		"birth_date":      "1980-05-17",
		"phone":           "+49 30 " + phone,
	}
	s.markers = append(s.markers, "1980-05-17", "17.05.1980")
	r.Message = fmt.Sprintf("Guten Tag, ich bin %s %s (%s), Telefon: +49 30 %s.\nIBAN: DE89 3704 0044 0532 0130 00, Karte 4111 1111 1111 1111.\n"+
		"Geboren in %s, geb. am 17.05.1980. Bestellung vom %s.", first, last, email, phone, birthplace, s.orderOn)
	r.Attachments = []desk.Upload{{Name: "beleg-" + m("mk"+letters(t, 10)) + ".txt", Data: []byte("Anhang " + m("mk"+letters(t, 10)) + "\n")}}
	rc := e.MustSubmit(t, r)
	s.ids = append(s.ids, rc.Ticket.ID)

	// T2: the same customer's technical problem.
	e.Clock.Set(berlin(t, "2026-11-03 14:40"))
	r2 := e.Request("technical_problem")
	r2.Name, r2.Email = first+" "+last, email
	r2.Subject = "Drucker"
	r2.Fields["product"] = "Drucker von " + first + " " + last
	r2.Fields["phone"] = "+49 30 " + phone
	r2.Message = "Der Drucker druckt nicht. Viele Grüße, " + last
	rc2 := e.MustSubmit(t, r2)
	s.ids = append(s.ids, rc2.Ticket.ID)

	// T3 under a legal hold, T4 restricted: never exported.
	for range 2 {
		r := e.Request("complaint")
		r.Name, r.Email = m("Mk"+letters(t, 10)), m("mk"+letters(t, 10))+"@example.org"
		r.Message = "Beschwerde " + m("mk"+letters(t, 10))
		s.ids = append(s.ids, e.MustSubmit(t, r).Ticket.ID)
	}
	for _, id := range s.ids {
		s.numbers = append(s.numbers, ticket.FormatNumber(id))
	}

	// Work on T1: the agent replies and signs, notes, tags, the customer
	// answers; the ticket mentions its siblings.
	e.Clock.Set(berlin(t, "2026-11-03 10:05"))
	reply := fmt.Sprintf("Guten Tag Frau %s,\nwir prüfen Ihre Rechnung; siehe auch %s und %s.\nViele Grüße\n%s %s, %s",
		last, s.numbers[1], s.numbers[2], agentFirst, agentLast, agentMail)
	if _, err := e.Desk.Reply(ctx, agent, s.ids[0], desk.ReplyInput{Body: reply,
		Attachments: []desk.Upload{{Name: "antwort-" + m("mk"+letters(t, 10)) + ".txt", Data: []byte("x")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Desk.Reply(ctx, agent, s.ids[0], desk.ReplyInput{Body: "Rückruf unter +49 30 " + phone + " erledigt, Kundennr. " + customerNumber, Internal: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Desk.SetTags(ctx, agent, s.ids[0], []string{"rechnung"}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(berlin(t, "2026-11-04 08:30"))
	if _, err := e.Desk.CustomerReply(ctx, rc.StatusSecret, "Danke, "+first+" "+last); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Desk.PlaceHold(ctx, s.dpo, desk.HoldTarget{TicketID: s.ids[2]}, "Rechtsstreit"); err != nil {
		t.Fatal(err)
	}
	if err := e.DB.Write(ctx, func(tx *store.Tx) error {
		tk, err := tx.FindTicket(s.ids[3])
		if err != nil {
			return err
		}
		tk.Restricted = true
		return tx.SaveTicket(tk)
	}); err != nil {
		t.Fatal(err)
	}

	// The markers are there to be found, or the test proves nothing.
	dump, err := e.DB.DumpText(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var files []byte
	filepath.WalkDir(filepath.Join(e.Dir, "attachments"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			files = append(files, b...)
		}
		return nil
	})
	all := bytes.ToLower(append(dump, files...))
	for _, x := range s.markers {
		if !bytes.Contains(all, []byte(strings.ToLower(x))) {
			t.Fatalf("marker %q is not in the source installation", x)
		}
	}
	return s
}

// leaks returns the markers, real ticket numbers and payment data found
// in b.
func (s *trainingSource) leaks(b []byte) []string {
	low := bytes.ToLower(b)
	var found []string
	for _, x := range append(slices.Clone(s.markers), s.numbers...) {
		if bytes.Contains(low, []byte(strings.ToLower(x))) {
			found = append(found, x)
		}
	}
	for _, x := range []string{"DE89 3704", "3704 0044", "0532 0130", "4111 1", "411111"} {
		if bytes.Contains(b, []byte(x)) {
			found = append(found, x)
		}
	}
	return found
}

// TestTrainingExport is the training dataset's proof as a property:
// exported as JSON and as a SQLite installation, no marker of personal
// data and no real ticket number is in the bytes of either; the same
// customer has the same pseudonym in both tickets and both formats;
// every time moved by one offset of whole weeks; restricted and held
// tickets are left out; and the export is audited.
func TestTrainingExport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newTrainingSource(t)
	e := s.e
	e.Clock.Set(berlin(t, "2026-11-05 12:00"))
	plan, err := e.Desk.PlanTrainingExport(ctx, s.dpo, desk.TrainingChoice{Numbers: s.numbers})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(plan.IDs, s.ids[:2]) || plan.LeftOut != 2 {
		t.Fatalf("plan chose %v and left out %d, want %v and 2 (held, restricted)", plan.IDs, plan.LeftOut, s.ids[:2])
	}

	// JSON.
	var out bytes.Buffer
	n, err := e.Desk.ExportTraining(ctx, s.dpo, plan, desk.NewTrainingJSON(&out), nil)
	if err != nil || n != 2 {
		t.Fatalf("export: %d tickets, %v", n, err)
	}
	if found := s.leaks(out.Bytes()); len(found) > 0 {
		t.Errorf("the JSON export holds %v", found)
	}
	var ds desk.TrainingDataset
	if err := json.Unmarshal(out.Bytes(), &ds); err != nil {
		t.Fatal(err)
	}
	if ds.Schema != desk.TrainingSchema || ds.TicketCount != 2 || len(ds.Tickets) != 2 {
		t.Fatalf("dataset %q with %d/%d tickets", ds.Schema, ds.TicketCount, len(ds.Tickets))
	}
	t1, t2 := ds.Tickets[0], ds.Tickets[1]
	if t1.Customer != t2.Customer || !strings.HasPrefix(t1.Customer.Name, "Kunde ") || !strings.HasSuffix(t1.Customer.Email, "@example.invalid") {
		t.Errorf("the customer is %+v and %+v: not one pseudonym", t1.Customer, t2.Customer)
	}
	for _, f := range []string{"payment_method", "birthplace", "birth_date"} {
		if _, ok := t1.Fields[f]; ok {
			t.Errorf("sensitive field %s exported", f)
		}
	}
	if !strings.HasPrefix(t1.Fields["customer_number"], "K-") || t1.Fields["phone"] == "" || t1.Fields["phone"] != t2.Fields["phone"] {
		t.Errorf("contact fields %v / %v: want pseudonyms, the same for the same value", t1.Fields, t2.Fields)
	}
	if !strings.Contains(t2.Fields["product"], t1.Customer.Name) {
		t.Errorf("product %q: the customer's name should be their pseudonym", t2.Fields["product"])
	}
	body := t1.Messages[0].Body
	for _, want := range []string{t1.Customer.Name, "[IBAN]", "[Zahlungskarte]", "[Geburtsort]", "[Geburtsdatum]"} {
		if !strings.Contains(body, want) {
			t.Errorf("first message lacks %q:\n%s", want, body)
		}
	}
	reply := t1.Messages[1].Body
	if !strings.Contains(reply, t2.Number) || !strings.Contains(reply, "[Ticketnummer]") || t1.Messages[1].Agent == nil ||
		!strings.Contains(reply, t1.Messages[1].Agent.Name) || !strings.Contains(reply, "Frau "+t1.Customer.Name) {
		t.Errorf("agent's reply: want the sibling's new number %s, a label for the held one, and the agent's pseudonym:\n%s", t2.Number, reply)
	}
	if t1.Assignee == nil || *t1.Assignee != *t1.Messages[1].Agent || !slices.Equal(t1.Tags, []string{"rechnung"}) {
		t.Errorf("assignee %+v, tags %v", t1.Assignee, t1.Tags)
	}
	if t1.Messages[2].Visibility != ticket.Internal || len(t1.Messages) != 4 {
		t.Errorf("messages: %+v", t1.Messages)
	}

	// One offset of whole weeks into the past, for every time of every
	// ticket: the differences between a ticket's events stay.
	offset := t1.CreatedAt.Sub(mustView(t, e, s.dpo, s.ids[0]).Ticket.CreatedAt)
	week := 7 * 24 * time.Hour
	if offset%week != 0 || offset > -week || offset < -52*week {
		t.Fatalf("offset %v: want whole weeks, 1 to 52 into the past", offset)
	}
	for i, tt := range ds.Tickets {
		v := mustView(t, e, s.dpo, s.ids[i])
		check := func(what string, got, src time.Time) {
			if got.Sub(src) != offset {
				t.Errorf("ticket %d %s moved by %v, want %v", i+1, what, got.Sub(src), offset)
			}
		}
		check("created_at", tt.CreatedAt, v.Ticket.CreatedAt)
		check("updated_at", tt.UpdatedAt, v.Ticket.UpdatedAt)
		check("first_response_due", tt.FirstResponseDue, v.Ticket.FirstResponseDue)
		if len(tt.Messages) != len(v.Messages) {
			t.Fatalf("ticket %d: %d messages, source %d", i+1, len(tt.Messages), len(v.Messages))
		}
		for j := range tt.Messages {
			check("message", tt.Messages[j].CreatedAt, v.Messages[j].CreatedAt)
		}
		for j := range tt.Consents {
			check("consent", tt.Consents[j].At, v.Consents[j].At)
		}
		if tt.SLA != nil && v.Ticket.SLA != nil {
			check("SLA start", tt.SLA.Clocks[0].Start, v.Ticket.SLA.Clocks[0].Start)
		}
	}
	if at, _ := time.Parse("02.01.2006", s.orderOn); !strings.Contains(body, at.Add(offset).Format("02.01.2006")) {
		t.Errorf("the order date in the text did not move with the dataset:\n%s", body)
	}

	// SQLite: a complete installation, as a file.
	path := filepath.Join(t.TempDir(), "training.db")
	plan.Choice.Format = desk.TrainingSQLite
	if err := desk.WriteTrainingFile(ctx, path, nil, func(sink desk.TrainingSink) error {
		_, err := e.Desk.ExportTraining(ctx, s.dpo, plan, sink, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the export left %d files, want the database alone", len(entries))
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if found := s.leaks(raw); len(found) > 0 {
		t.Errorf("the SQLite export holds %v", found)
	}
	db, err := store.Open(ctx, path, &clock.Test{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	td, err := desk.New(ctx, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if !td.Training() {
		t.Error("the SQLite export is not marked as a training installation")
	}
	var got []*ticket.Ticket
	var users []*store.UserRecord
	db.Read(ctx, func(tx *store.Tx) error {
		closed := []ticket.Status{ticket.New, ticket.Open, ticket.Waiting, ticket.Resolved, ticket.Closed}
		got, _, err = tx.FindTickets(store.TicketFilter{Statuses: closed, Sort: store.SortOldest})
		if err != nil {
			return err
		}
		users, err = tx.FindUsers()
		return err
	})
	if len(got) != 2 {
		t.Fatalf("training installation holds %d tickets, want 2", len(got))
	}
	for _, tk := range got {
		if slices.Contains(s.ids, tk.ID) {
			t.Errorf("training ticket %s has a real ticket's id", tk.Number())
		}
		if tk.Customer.Email != t1.Customer.Email || tk.Customer.Name != t1.Customer.Name {
			t.Errorf("customer %q <%s>, want the pseudonym of the JSON export %q", tk.Customer.Name, tk.Customer.Email, t1.Customer.Name)
		}
	}
	for _, u := range users {
		if !u.Disabled || !strings.HasSuffix(u.Email, "@example.invalid") {
			t.Errorf("account %s: want the disabled pseudonym of an agent", u.Name)
		}
	}

	// Each export is in the audit trail, with counts and the choice only.
	es, _, err := e.Desk.AuditLog(ctx, s.dpo, store.AuditFilter{Action: audit.TrainingExport}, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Detail != "tickets=2 format=sqlite numbers=4 left_out=2" || es[1].Detail != "tickets=2 format=json numbers=4 left_out=2" {
		t.Errorf("audit entries: %+v", es)
	}
}

func mustView(t *testing.T, e *desktest.Env, a *desk.Agent, id int64) *desk.TicketView {
	t.Helper()
	v, err := e.Desk.Ticket(context.Background(), a, id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTrainingImport reads a JSON dataset into a new installation: the
// same tickets, numbers and pseudonyms, every time as exported; a second
// import into it and broken files are refused and change nothing.
func TestTrainingImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newTrainingSource(t)
	plan, err := s.e.Desk.PlanTrainingExport(ctx, s.dpo, desk.TrainingChoice{RequestType: "invoice_question", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := s.e.Desk.ExportTraining(ctx, nil, plan, desk.NewTrainingJSON(&out), nil); err != nil {
		t.Fatal(err)
	}
	var ds desk.TrainingDataset
	if err := json.Unmarshal(out.Bytes(), &ds); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "frist.db")
	done := 0
	if err := desk.WriteTrainingFile(ctx, path, func(n int) { done = n }, func(sink desk.TrainingSink) error {
		return desk.ReadTrainingJSON(bytes.NewReader(out.Bytes()), sink)
	}); err != nil {
		t.Fatal(err)
	}
	if done != 1 {
		t.Errorf("progress told %d tickets, want 1", done)
	}
	db, err := store.Open(ctx, path, &clock.Test{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got *ticket.Ticket
	var msgs []ticket.Message
	id, _ := ticket.ParseNumber(ds.Tickets[0].Number)
	if err := db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if got, err = tx.FindTicket(id); err != nil {
			return err
		}
		msgs, err = tx.FindMessages(id, true)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	want := ds.Tickets[0]
	if got.Customer.Name != want.Customer.Name || !got.CreatedAt.Equal(want.CreatedAt) || got.Subject != want.Subject || len(msgs) != len(want.Messages) {
		t.Errorf("imported %+v with %d messages, want %+v", got, len(msgs), want)
	}
	if msgs[1].AgentName != want.Messages[1].Agent.Name || !strings.HasPrefix(msgs[1].AgentName, "Agent ") || !msgs[1].CreatedAt.Equal(want.Messages[1].CreatedAt) {
		t.Errorf("reply by %q at %v, want %q at %v", msgs[1].AgentName, msgs[1].CreatedAt, want.Messages[1].Agent.Name, want.Messages[1].CreatedAt)
	}

	// Into an installation that exists, and broken files: refused, and
	// the target stays as it was.
	exists := filepath.Join(t.TempDir(), "frist.db")
	os.WriteFile(exists, []byte("x"), 0o600)
	cut := out.Bytes()[:out.Len()/2]
	other := bytes.Replace(out.Bytes(), []byte(desk.TrainingSchema), []byte("frist-training/9"), 1)
	for name, c := range map[string]struct {
		path string
		data []byte
		code string
	}{
		"exists":        {exists, out.Bytes(), fault.Conflict},
		"cut off":       {filepath.Join(t.TempDir(), "frist.db"), cut, fault.Invalid},
		"other schema":  {filepath.Join(t.TempDir(), "frist.db"), other, fault.Invalid},
		"not a dataset": {filepath.Join(t.TempDir(), "frist.db"), []byte(`{"tickets": []}`), fault.Invalid},
	} {
		err := desk.WriteTrainingFile(ctx, c.path, nil, func(sink desk.TrainingSink) error {
			return desk.ReadTrainingJSON(bytes.NewReader(c.data), sink)
		})
		if fault.Code(err) != c.code {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
		if name != "exists" {
			if entries, _ := os.ReadDir(filepath.Dir(c.path)); len(entries) != 0 {
				t.Errorf("%s: %d files left behind", name, len(entries))
			}
		}
	}
}

// TestPlanTrainingExport: the choice's rules.
func TestPlanTrainingExport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	admin := e.MustCreateAgent(t, "admin@example.org", "Ada Admin", auth.Admin)
	agent := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent)
	e.Clock.Set(berlin(t, "2026-11-02 09:00"))
	var ids []int64
	for _, rt := range []string{"general_question", "invoice_question", "complaint", "general_question"} {
		ids = append(ids, e.MustSubmit(t, e.Request(rt)).Ticket.ID)
		e.Clock.Set(e.Clock.Now().Add(24 * time.Hour))
	}
	for name, c := range map[string]struct {
		a      *desk.Agent
		choice desk.TrainingChoice
		want   []int64
		code   string
		field  string
	}{
		"all":                {admin, desk.TrainingChoice{}, ids, "", ""},
		"request type":       {admin, desk.TrainingChoice{RequestType: "general_question"}, []int64{ids[0], ids[3]}, "", ""},
		"department":         {admin, desk.TrainingChoice{Department: "billing"}, []int64{ids[1]}, "", ""},
		"dates":              {admin, desk.TrainingChoice{Since: "2026-11-03", Until: "2026-11-04"}, ids[1:3], "", ""},
		"status":             {admin, desk.TrainingChoice{Statuses: []string{"new"}}, ids, "", ""},
		"numbers":            {nil, desk.TrainingChoice{Numbers: []string{ticket.FormatNumber(ids[2]), " 100001 "}}, []int64{ids[0], ids[2]}, "", ""},
		"agent":              {agent, desk.TrainingChoice{}, nil, fault.Forbidden, ""},
		"unknown number":     {admin, desk.TrainingChoice{Numbers: []string{"F-999999"}}, nil, fault.Invalid, "tickets"},
		"not a number":       {admin, desk.TrainingChoice{Numbers: []string{"Rechnung"}}, nil, fault.Invalid, "tickets"},
		"number filtered":    {admin, desk.TrainingChoice{Numbers: []string{ticket.FormatNumber(ids[1])}, RequestType: "complaint"}, nil, fault.Invalid, "tickets"},
		"nothing":            {admin, desk.TrainingChoice{Statuses: []string{"closed"}}, nil, fault.Invalid, "tickets"},
		"bad request type":   {admin, desk.TrainingChoice{RequestType: "x"}, nil, fault.Invalid, "request_type"},
		"bad status":         {admin, desk.TrainingChoice{Statuses: []string{"lost"}}, nil, fault.Invalid, "status"},
		"bad date":           {admin, desk.TrainingChoice{Since: "3.11.2026"}, nil, fault.Invalid, "since"},
		"until before since": {admin, desk.TrainingChoice{Since: "2026-11-05", Until: "2026-11-03"}, nil, fault.Invalid, "until"},
		"bad sample":         {admin, desk.TrainingChoice{Sample: -1}, nil, fault.Invalid, "sample"},
		"bad format":         {admin, desk.TrainingChoice{Format: "csv"}, nil, fault.Invalid, "format"},
		"bad language":       {admin, desk.TrainingChoice{Language: "fr"}, nil, fault.Invalid, "language"},
	} {
		t.Run(name, func(t *testing.T) {
			plan, err := e.Desk.PlanTrainingExport(ctx, c.a, c.choice)
			if fault.Code(err) != c.code {
				t.Fatalf("error %v, want code %q", err, c.code)
			}
			if c.field != "" {
				if fs := fault.FieldsOf(err); len(fs) != 1 || fs[0].Field != c.field {
					t.Errorf("field errors %v, want one on %s", fs, c.field)
				}
			}
			if err == nil && !slices.Equal(plan.IDs, c.want) {
				t.Errorf("chose %v, want %v", plan.IDs, c.want)
			}
		})
	}

	// A sample takes that many of the matching, at random, in order.
	seen := map[int64]bool{}
	for range 20 {
		plan, err := e.Desk.PlanTrainingExport(ctx, admin, desk.TrainingChoice{Sample: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.IDs) != 2 || plan.Matching != 4 || !slices.IsSorted(plan.IDs) {
			t.Fatalf("sample %v of %d", plan.IDs, plan.Matching)
		}
		for _, id := range plan.IDs {
			seen[id] = true
		}
	}
	if len(seen) < 3 {
		t.Errorf("20 samples of 2 drew only %v", seen)
	}
}

// TestTrainingInstallationRules: a training installation keeps its
// tickets although the source's deletion deadlines have passed (its
// sweeper deletes nothing), refuses to enable an outbound integration,
// and exports no dataset itself.
func TestTrainingInstallationRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	admin := e.MustCreateAgent(t, "admin@example.org", "Ada Admin", auth.Admin)
	e.Clock.Set(berlin(t, "2026-03-02 09:00"))
	id := e.MustSubmit(t, e.Request("general_question")).Ticket.ID
	closeTicket(t, e, admin, id)
	e.Clock.Set(berlin(t, "2026-11-02 09:00")) // long after the 90 days of support_standard

	plan, err := e.Desk.PlanTrainingExport(ctx, admin, desk.TrainingChoice{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "training.db")
	if err := desk.WriteTrainingFile(ctx, path, nil, func(sink desk.TrainingSink) error {
		_, err := e.Desk.ExportTraining(ctx, admin, plan, sink, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, path, e.Clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	td, err := desk.New(ctx, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	run, err := td.SweepRetention(ctx, nil)
	if err != nil || run.Deleted+run.Anonymised+run.Restricted != 0 {
		t.Errorf("the training installation's sweep: %+v, %v", run, err)
	}
	var n map[ticket.Status]int
	db.Read(ctx, func(tx *store.Tx) error { n, err = tx.CountTickets(nil); return err })
	if n[ticket.Closed] != 1 {
		t.Errorf("tickets left: %v, want the closed one", n)
	}
	// The same sweep in the source deletes it: it was due.
	if run, err := e.Desk.SweepRetention(ctx, nil); err != nil || run.Deleted != 1 {
		t.Errorf("the source's sweep: %+v, %v", run, err)
	}

	y := strings.Replace(string(policy.DefaultYAML()), "    enabled: false # switch on once outgoing mail is configured", "    enabled: true", 1)
	if _, err := td.ApplyPolicy(ctx, []byte(y)); fault.Code(err) != fault.Invalid || !strings.Contains(fault.Message(err), "training installation") {
		t.Errorf("enabling an integration in a training installation: %v", err)
	}
	if _, err := e.Desk.ApplyPolicy(ctx, []byte(y)); err != nil {
		t.Errorf("the same policy in the source: %v", err)
	}
	if _, err := td.PlanTrainingExport(ctx, nil, desk.TrainingChoice{}); fault.Code(err) != fault.Conflict {
		t.Errorf("a training installation planned an export: %v", err)
	}
}
