package desk_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/fault"
	"frist/internal/privacy"
	"frist/internal/store"
)

// maskingEnv is a desk with one agent of each kind and an invoice
// question full of personal data.
type maskingEnv struct {
	*desktest.Env
	trainee, agent, billing, officer, admin *desk.Agent
	id, other                               int64 // the invoice question and another ticket of the same customer
}

// secrets are the invoice question's personal data that trainees must not
// see; the sensitive ones also agents outside billing.
var (
	contactSecrets   = []string{"Erika", "Mustermann", "erika.mustermann@example.org", "030 1234567", "K-4711"}
	sensitiveSecrets = []string{"DE89 3704 0044 0532 0130 00", "Musterstadt", "Kreditkarte", "card"}
)

func newMaskingEnv(t *testing.T) *maskingEnv {
	t.Helper()
	e := &maskingEnv{Env: desktest.New(t)}
	e.trainee = e.MustCreateAgent(t, "tom@example.org", "Tom Trainee", auth.Trainee)
	e.agent = e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	e.billing = e.MustCreateAgent(t, "bert@example.org", "Bert Buchhaltung", auth.Agent, "billing")
	e.officer = e.MustCreateAgent(t, "dora@example.org", "Dora Datenschutz", auth.PrivacyOfficer)
	e.admin = e.MustCreateAgent(t, "adam@example.org", "Adam Admin", auth.Admin)
	r := e.Request("invoice_question")
	r.Subject = "Rückbuchung für Erika Mustermann"
	r.Message = "Guten Tag, bitte erstatten Sie auf meine IBAN DE89 3704 0044 0532 0130 00. Geburtsort: Musterstadt. " +
		"Rückruf unter 030 1234567 oder an erika.mustermann@example.org. Gruß, E. Mustermann"
	r.Fields["customer_number"] = "K-4711"
	r.Fields["payment_method"] = "card"
	r.Attachments = []desk.Upload{{Name: "Kontoauszug Mustermann.txt", Data: []byte("Kontoauszug")}}
	e.id = e.MustSubmit(t, r).Ticket.ID
	o := e.Request("general_question")
	o.Subject = "Noch eine Frage"
	e.other = e.MustSubmit(t, o).Ticket.ID
	return e
}

func (e *maskingEnv) view(t *testing.T, ctx context.Context, a *desk.Agent, id int64) *desk.TicketView {
	t.Helper()
	v, err := e.Desk.Ticket(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// visibleText is everything of a view an agent reads.
func visibleText(v *desk.TicketView) string {
	var b strings.Builder
	b.WriteString(v.Ticket.Subject + "\n" + v.Ticket.Customer.Name + "\n" + v.Ticket.Customer.Email + "\n")
	for _, x := range v.Ticket.Fields {
		b.WriteString(x + "\n")
	}
	for _, x := range v.Ticket.Tags {
		b.WriteString(x + "\n")
	}
	for _, m := range v.Messages {
		b.WriteString(m.Body + "\n")
	}
	for _, c := range v.Changes {
		b.WriteString(c.From + " " + c.To + "\n")
	}
	for _, list := range v.Attachments {
		for _, x := range list {
			b.WriteString(x.Name + "\n")
		}
	}
	return b.String()
}

func auditEntries(t *testing.T, e *maskingEnv, action string) []audit.Entry {
	t.Helper()
	list, _, err := e.Desk.AuditLog(context.Background(), e.officer, store.AuditFilter{Action: action}, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

var pseudonymRE = regexp.MustCompile(`^Kunde [0-9A-F]{6}$`)

func TestMaskingByRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newMaskingEnv(t)
	if _, err := e.Desk.SetTags(ctx, e.billing, e.id, []string{"k-4711", "musterstadt"}); err != nil {
		t.Fatal(err)
	}

	t.Run("Trainee", func(t *testing.T) {
		v := e.view(t, ctx, e.trainee, e.id)
		text := visibleText(v)
		for _, s := range append(contactSecrets, sensitiveSecrets...) {
			if strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
				t.Errorf("trainee sees %q in:\n%s", s, text)
			}
		}
		if !pseudonymRE.MatchString(v.Ticket.Customer.Name) || !strings.HasSuffix(v.Ticket.Customer.Email, "@example.invalid") {
			t.Errorf("customer = %+v, want pseudonyms", v.Ticket.Customer)
		}
		for _, want := range []string{"[IBAN]", "[Geburtsort]", "[Telefonnummer]", v.Ticket.Customer.Name, v.Ticket.Customer.Email, "[Kundennummer]", "[Zahlungsart]", "[Anhang 1]", "Rückbuchung für " + v.Ticket.Customer.Name} {
			if !strings.Contains(text, want) {
				t.Errorf("trainee's view lacks %q:\n%s", want, text)
			}
		}
		m := v.Masking
		if m.Customer != privacy.Masked || m.Fields["payment_method"] != privacy.Masked || m.Fields["customer_number"] != privacy.Masked || len(m.Reveal) != 0 || m.Attachments {
			t.Errorf("masking = %+v", m)
		}
		// The same customer has the same pseudonym on every ticket.
		if o := e.view(t, ctx, e.trainee, e.other); o.Ticket.Customer != v.Ticket.Customer {
			t.Errorf("pseudonyms differ: %+v vs %+v", o.Ticket.Customer, v.Ticket.Customer)
		}
		list, _, err := e.Desk.Tickets(ctx, e.trainee, store.TicketFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range list {
			if x.Customer != v.Ticket.Customer || strings.Contains(x.Subject, "Mustermann") {
				t.Errorf("queue shows %q %+v", x.Subject, x.Customer)
			}
		}
	})

	t.Run("TraineeEnglish", func(t *testing.T) {
		v := e.view(t, desk.WithLanguage(ctx, "en"), e.trainee, e.id)
		text := visibleText(v)
		for _, want := range []string{"Customer ", "[IBAN]", "[place of birth]", "[Customer number]", "[Payment method]", "[attachment 1]"} {
			if !strings.Contains(text, want) {
				t.Errorf("English view lacks %q:\n%s", want, text)
			}
		}
	})

	t.Run("AgentOutsideDepartment", func(t *testing.T) {
		v := e.view(t, ctx, e.agent, e.id)
		text := visibleText(v)
		for _, s := range sensitiveSecrets {
			if strings.Contains(text, s) {
				t.Errorf("agent without departments sees %q", s)
			}
		}
		for _, s := range []string{"Erika Mustermann", "erika.mustermann@example.org", "K-4711", "[IBAN]", "[Zahlungsart]", "Kontoauszug Mustermann.txt"} {
			if !strings.Contains(text, s) {
				t.Errorf("agent lacks %q", s)
			}
		}
		if !slices.Equal(v.Masking.Reveal, []privacy.Category{privacy.Sensitive}) || !v.Masking.Attachments {
			t.Errorf("masking = %+v", v.Masking)
		}
	})

	t.Run("AgentOfDepartment", func(t *testing.T) {
		v := e.view(t, ctx, e.billing, e.id)
		text := visibleText(v)
		for _, s := range append(contactSecrets, "DE89 3704 0044 0532 0130 00", "Musterstadt", "card") {
			if !strings.Contains(text, s) {
				t.Errorf("billing agent lacks %q", s)
			}
		}
		if v.Masking.Any() {
			t.Errorf("masking = %+v", v.Masking)
		}
	})

	t.Run("Admin", func(t *testing.T) {
		v := e.view(t, ctx, e.admin, e.id)
		if v.Ticket.Fields["payment_method"] != "[Zahlungsart]" || v.Ticket.Customer.Name != "Erika Mustermann" || len(v.Masking.Reveal) != 0 || v.Masking.Attachments {
			t.Errorf("admin sees %+v, masking %+v", v.Ticket, v.Masking)
		}
	})

	t.Run("OfficerAudited", func(t *testing.T) {
		before := len(auditEntries(t, e, audit.TicketViewAudited))
		v := e.view(t, ctx, e.officer, e.id)
		if v.Ticket.Fields["payment_method"] != "card" || !strings.Contains(visibleText(v), "Musterstadt") {
			t.Errorf("officer does not see everything: %+v", v.Ticket.Fields)
		}
		entries := auditEntries(t, e, audit.TicketViewAudited)
		if len(entries) != before+1 {
			t.Fatalf("%d view entries, want %d", len(entries), before+1)
		}
		got := entries[0]
		if got.Object != "ticket:"+v.Ticket.Number() || got.Detail != "categories=sensitive via=ticket" || got.ActorID != e.officer.ID {
			t.Errorf("entry = %+v", got)
		}
		// A ticket without sensitive data is viewed without an entry.
		e.view(t, ctx, e.officer, e.other)
		if n := len(auditEntries(t, e, audit.TicketViewAudited)); n != before+1 {
			t.Errorf("%d view entries after a ticket without sensitive data", n)
		}
	})

	t.Run("TraineeKeepsMaskedTags", func(t *testing.T) {
		v := e.view(t, ctx, e.trainee, e.id)
		if !slices.Equal(v.Ticket.Tags, []string{"[Kundennummer]", "[Geburtsort]"}) {
			t.Fatalf("trainee sees tags %v", v.Ticket.Tags)
		}
		got, err := e.Desk.SetTags(ctx, e.trainee, e.id, append(v.Ticket.Tags, "rueckruf"))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Tags, []string{"[Kundennummer]", "[Geburtsort]", "rueckruf"}) {
			t.Errorf("trainee's answer shows tags %v", got.Tags)
		}
		if stored := e.view(t, ctx, e.billing, e.id).Ticket.Tags; !slices.Equal(stored, []string{"k-4711", "musterstadt", "rueckruf"}) {
			t.Errorf("stored tags = %v", stored)
		}
		if _, err := e.Desk.SetTags(ctx, e.trainee, e.id, []string{"[Erfunden]"}); fault.Code(err) != fault.Invalid {
			t.Errorf("a label of no tag: %v", err)
		}
	})

	t.Run("Reply", func(t *testing.T) {
		v := e.view(t, ctx, e.trainee, e.id)
		m, err := e.Desk.Reply(ctx, e.trainee, e.id, desk.ReplyInput{Body: "Guten Tag " + v.Ticket.Customer.Name + ", wir prüfen das."})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Body, v.Ticket.Customer.Name) {
			t.Errorf("reply = %q", m.Body)
		}
		tk, err := e.Desk.UpdateTicket(ctx, e.trainee, e.id, desk.TicketUpdate{})
		if err != nil {
			t.Fatal(err)
		}
		if tk.Customer != v.Ticket.Customer || tk.Fields["payment_method"] != "[Zahlungsart]" || slices.Contains(tk.Tags, "k-4711") {
			t.Errorf("updated ticket = %+v", tk)
		}
	})
}

func TestMaskingSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newMaskingEnv(t)
	for _, tc := range []struct {
		name string
		a    *desk.Agent
		q    string
		hits int
	}{
		{"TraineeByBirthplace", e.trainee, "Musterstadt", 0},
		{"TraineeByName", e.trainee, "Mustermann", 0},
		{"TraineeByNameStem", e.trainee, "Mustermanns", 0},
		{"TraineeByEmail", e.trainee, "erika.mustermann", 0},
		{"TraineeByIBAN", e.trainee, "DE89", 0},
		{"TraineeByVisibleWords", e.trainee, "Rückbuchung erstatten", 1},
		{"TraineeVisibleAndHidden", e.trainee, "Rückbuchung Musterstadt", 0},
		{"AgentByBirthplace", e.agent, "Musterstadt", 0},
		{"AgentByName", e.agent, "Mustermann", 1},
		{"BillingByBirthplace", e.billing, "Musterstadt", 1},
		{"OfficerByBirthplace", e.officer, "Musterstadt", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits, _, err := e.Desk.Search(ctx, tc.a, tc.q, "", 20)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != tc.hits {
				t.Fatalf("%d hits, want %d", len(hits), tc.hits)
			}
			if tc.a == e.trainee && len(hits) == 1 {
				h := hits[0]
				if !pseudonymRE.MatchString(h.Ticket.Customer.Name) || strings.Contains(h.Ticket.Subject+h.Message.Body, "Mustermann") || strings.Contains(h.Message.Body, "DE89") {
					t.Errorf("hit = %q / %q / %+v", h.Ticket.Subject, h.Message.Body, h.Ticket.Customer)
				}
			}
		})
	}
	if entries := auditEntries(t, e, audit.TicketViewAudited); len(entries) != 1 || !strings.HasSuffix(entries[0].Detail, "via=search") {
		t.Errorf("search views audited: %+v", entries)
	}
}

func TestReveal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newMaskingEnv(t)
	reason := "Rückerstattung prüfen"
	for _, tc := range []struct {
		name  string
		a     *desk.Agent
		in    desk.RevealInput
		code  string
		field string
	}{
		{"ErrTrainee", e.trainee, desk.RevealInput{Category: privacy.Sensitive, Reason: reason}, fault.Forbidden, "category"},
		{"ErrTraineeContact", e.trainee, desk.RevealInput{Category: privacy.Contact, Reason: reason}, fault.Forbidden, "category"},
		{"ErrAdmin", e.admin, desk.RevealInput{Category: privacy.Sensitive, Reason: reason}, fault.Forbidden, "category"},
		{"ErrNothingMasked", e.billing, desk.RevealInput{Category: privacy.Sensitive, Reason: reason}, fault.Invalid, "category"},
		{"ErrNoReason", e.agent, desk.RevealInput{Category: privacy.Sensitive, Reason: "  "}, fault.Invalid, "reason"},
		{"ErrLongReason", e.agent, desk.RevealInput{Category: privacy.Sensitive, Reason: strings.Repeat("x", desk.MaxRevealReason+1)}, fault.Invalid, "reason"},
		{"ErrReasonWithIBAN", e.agent, desk.RevealInput{Category: privacy.Sensitive, Reason: "Abgleich mit DE89 3704 0044 0532 0130 00"}, fault.Invalid, "reason"},
		{"ErrReasonWithName", e.agent, desk.RevealInput{Category: privacy.Sensitive, Reason: "Anruf von Frau Mustermann"}, fault.Invalid, "reason"},
		{"ErrReasonWithEmail", e.agent, desk.RevealInput{Category: privacy.Sensitive, Reason: "Mail von x@example.org"}, fault.Invalid, "reason"},
		{"ErrCategory", e.agent, desk.RevealInput{Category: "health", Reason: reason}, fault.Invalid, "category"},
		{"ErrFieldOfOtherCategory", e.agent, desk.RevealInput{Category: privacy.Sensitive, Field: "customer_number", Reason: reason}, fault.Invalid, "field"},
		{"ErrUnknownField", e.agent, desk.RevealInput{Category: privacy.Sensitive, Field: "birthplace", Reason: reason}, fault.Invalid, "field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Desk.Reveal(ctx, tc.a, e.id, tc.in)
			if fault.Code(err) != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
			if fs := fault.FieldsOf(err); len(fs) == 0 || fs[0].Field != tc.field {
				t.Errorf("fields = %+v, want %s", fs, tc.field)
			}
		})
	}
	if n := len(auditEntries(t, e, audit.TicketReveal)); n != 0 {
		t.Fatalf("refused reveals left %d audit entries", n)
	}
	if _, err := e.Desk.Reveal(ctx, e.agent, 999999, desk.RevealInput{Category: privacy.Sensitive, Reason: reason}); fault.Code(err) != fault.NotFound {
		t.Errorf("unknown ticket: %v", err)
	}

	t.Run("Category", func(t *testing.T) {
		got, err := e.Desk.Reveal(ctx, e.agent, e.id, desk.RevealInput{Category: privacy.Sensitive, Reason: reason})
		if err != nil {
			t.Fatal(err)
		}
		if got.Fields["payment_method"] != "card" || len(got.Fields) != 1 || got.Customer != nil || len(got.Messages) != 1 ||
			!strings.Contains(got.Messages[0].Body, "DE89 3704 0044 0532 0130 00") || !strings.Contains(got.Messages[0].Body, "Musterstadt") {
			t.Errorf("revealed = %+v", got)
		}
		entries := auditEntries(t, e, audit.TicketReveal)
		if len(entries) != 1 {
			t.Fatalf("%d reveal entries", len(entries))
		}
		x := entries[0]
		if x.ActorID != e.agent.ID || x.Object != "ticket:F-100001" || x.Detail != `category=sensitive reason="Rückerstattung prüfen"` {
			t.Errorf("entry = %+v", x)
		}
	})
	t.Run("Field", func(t *testing.T) {
		got, err := e.Desk.Reveal(ctx, e.agent, e.id, desk.RevealInput{Category: privacy.Sensitive, Field: "payment_method", Reason: "Zahlungsweg klären"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Fields) != 1 || got.Fields["payment_method"] != "card" || len(got.Messages) != 0 {
			t.Errorf("revealed = %+v", got)
		}
		if x := auditEntries(t, e, audit.TicketReveal)[0]; x.Detail != `category=sensitive field=payment_method reason="Zahlungsweg klären"` {
			t.Errorf("entry = %+v", x)
		}
	})
	t.Run("NeverTheValue", func(t *testing.T) {
		for _, x := range auditEntries(t, e, "") {
			for _, s := range append(contactSecrets, sensitiveSecrets...) {
				if strings.Contains(x.Detail+x.Object, s) {
					t.Errorf("audit entry %s holds %q: %s", x.Action, s, x.Detail)
				}
			}
		}
	})
}

func TestMaskingAttachments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newMaskingEnv(t)
	v := e.view(t, ctx, e.billing, e.id)
	aid := v.Attachments[v.Messages[0].ID][0].ID
	for _, tc := range []struct {
		name   string
		a      *desk.Agent
		code   string
		action string // audited, "" for none
	}{
		{"TraineeRefused", e.trainee, fault.Forbidden, audit.AttachmentRefused},
		{"AdminRefused", e.admin, fault.Forbidden, audit.AttachmentRefused},
		{"AgentMayRevealOpens", e.agent, "", audit.AttachmentOpen},
		{"OfficerOpensAudited", e.officer, "", audit.AttachmentOpen},
		{"BillingOpens", e.billing, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := map[string]int{audit.AttachmentRefused: len(auditEntries(t, e, audit.AttachmentRefused)), audit.AttachmentOpen: len(auditEntries(t, e, audit.AttachmentOpen))}
			meta, f, err := e.Desk.Attachment(ctx, tc.a, e.id, aid)
			if fault.Code(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Fatalf("err = %v, want %q", err, tc.code)
			}
			if err == nil {
				if got := read(t, f); got != "Kontoauszug" || meta.Name != "Kontoauszug Mustermann.txt" {
					t.Errorf("opened %q as %q", got, meta.Name)
				}
			} else if strings.Contains(err.Error(), "Mustermann") {
				t.Errorf("the error names the file: %v", err)
			}
			for action, n := range before {
				want := n
				if action == tc.action {
					want++
				}
				if got := len(auditEntries(t, e, action)); got != want {
					t.Errorf("%d %s entries, want %d", got, action, want)
				}
			}
		})
	}
	list, err := e.Desk.MessageAttachments(ctx, e.trainee, e.id, v.Messages[0].ID)
	if err != nil || len(list) != 1 || list[0].Name != "[Anhang 1]" || list[0].SHA256 != "" {
		t.Errorf("trainee's message attachments = %+v, %v", list, err)
	}
	if _, _, err := e.Desk.Attachment(ctx, e.trainee, e.id, aid+100); fault.Code(err) != fault.NotFound {
		t.Errorf("unknown attachment: %v", err)
	}
}
