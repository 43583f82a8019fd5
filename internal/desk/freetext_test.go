package desk_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/pii"
	"frist/internal/store/storetest"

	"github.com/google/go-cmp/cmp"
)

// rawData returns everything the installation holds: every file of the
// data directory (database and write-ahead log on SQLite, attachments),
// on PostgreSQL every row of every table, and the log.
func rawData(t *testing.T, e *desktest.Env, log []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{"log": log}
	err := filepath.WalkDir(e.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out[filepath.Base(path)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if storetest.Backend() == "postgres" {
		rows, err := e.DB.DumpText(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out["tables"] = rows
	}
	return out
}

// TestIntakeMasksCardNumbers is PCI DSS at intake: a card number with its
// security code in a request, a customer's reply and an agent's reply
// never reaches the database files, the write-ahead log, the tables, the
// search index or the log; what is stored keeps at most the first six and
// last four digits, and the flagged IBAN next to it stays for the agent.
func TestIntakeMasksCardNumbers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	log := &syncBuffer{}
	e := desktest.NewWithLog(t, log)
	// A member of every department: agents see sensitive data of their own departments only (docs/masking.md).
	agent := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent, "support", "billing", "technical")

	r := e.Request("general_question")
	r.Subject = "Doppelte Abbuchung"
	r.Message = "Meine Karte 4111 1111 1111 1111, CVC 123, wurde zweimal belastet. Bitte erstatten Sie auf IBAN DE89 3704 0044 0532 0130 00."
	rc := e.MustSubmit(t, r)
	want := []pii.Count{
		{Kind: pii.IBAN, Action: pii.ActionFlag, N: 1},
		{Kind: pii.PaymentCard, Action: pii.ActionMask, N: 1},
		{Kind: pii.CardCode, Action: pii.ActionMask, N: 1},
	}
	if diff := cmp.Diff(want, rc.PII); diff != "" {
		t.Errorf("receipt findings (-want +got):\n%s", diff)
	}
	if got := desk.MaskedNotice(rc.PII, "de"); got == "" || !strings.HasPrefix(got, "Zu Ihrem Schutz haben wir eine Kartennummer und eine Kartenprüfnummer unkenntlich gemacht.") {
		t.Errorf("notice %q", got)
	}
	if got := desk.MaskedNotice(rc.PII, "en"); !strings.HasPrefix(got, "For your protection, we have made a card number and a card security code unreadable.") {
		t.Errorf("English notice %q", got)
	}

	// A second request: a card number written without spaces in the
	// subject, its security code in the message.
	r2 := e.Request("general_question")
	r2.Subject = "Karte 4012888888881881 gesperrt?"
	r2.Message = "Die Prüfnummer lautet 987. Bestellnummer 4111 1111 1111 1112 bleibt, wie sie ist."
	rc2 := e.MustSubmit(t, r2)
	if rc2.Ticket.Subject != "Karte 401288******1881 gesperrt?" {
		t.Errorf("subject stored as %q", rc2.Ticket.Subject)
	}

	// The customer's reply on the status page and the agent's answer.
	found, err := e.Desk.CustomerReply(ctx, rc.StatusSecret, "Neue Karte: 5555 5555 5555 4444 cvv 321")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]pii.Count{{Kind: pii.PaymentCard, Action: pii.ActionMask, N: 1}, {Kind: pii.CardCode, Action: pii.ActionMask, N: 1}}, found); diff != "" {
		t.Errorf("customer reply findings (-want +got):\n%s", diff)
	}
	m, err := e.Desk.Reply(ctx, agent, rc.Ticket.ID, desk.ReplyInput{Body: "Sie schrieben 4111111111111111 – bitte senden Sie uns keine Kartendaten."})
	if err != nil {
		t.Fatal(err)
	}
	if m.Body != "Sie schrieben 411111******1111 – bitte senden Sie uns keine Kartendaten." {
		t.Errorf("agent reply stored as %q", m.Body)
	}

	v, err := e.Desk.Ticket(ctx, agent, rc.Ticket.ID)
	if err != nil {
		t.Fatal(err)
	}
	bodies := []string{
		"Meine Karte 4111 11** **** 1111, CVC [Kartenprüfnummer], wurde zweimal belastet. Bitte erstatten Sie auf IBAN DE89 3704 0044 0532 0130 00.",
		"Neue Karte: 5555 55** **** 4444 cvv [Kartenprüfnummer]",
		"Sie schrieben 411111******1111 – bitte senden Sie uns keine Kartendaten.",
	}
	if len(v.Messages) != len(bodies) {
		t.Fatalf("%d messages", len(v.Messages))
	}
	for i, b := range bodies {
		if v.Messages[i].Body != b {
			t.Errorf("message %d: %q, want %q", i, v.Messages[i].Body, b)
		}
	}
	if diff := cmp.Diff(want, v.Messages[0].PII); diff != "" {
		t.Errorf("stored findings (-want +got):\n%s", diff)
	}

	// The search finds neither the card numbers' hidden digits nor the
	// security codes, but still the flagged IBAN.
	search := func(q string) int {
		hits, _, err := e.Desk.Search(ctx, agent, q, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	if n := search("3704 0044"); n != 1 {
		t.Fatalf("search for the flagged IBAN: %d hits, want 1: the search is blind", n)
	}
	for _, q := range []string{"4111111111111111", "4012888888881881", "8888", "5555555555554444", "123", "987", "321"} {
		if n := search(q); n != 0 {
			t.Errorf("search for %q: %d hits", q, n)
		}
	}
	if n := search("4111 1111 1111 1112"); n != 1 {
		t.Errorf("the order number failing Luhn was changed: %d hits", n)
	}

	// Nothing of it in the files, the tables or the log.
	data := rawData(t, e, log.Bytes())
	var all []byte
	for _, b := range data {
		all = append(all, b...)
	}
	if !bytes.Contains(all, []byte("4111 11** **** 1111, CVC [Kartenpr")) {
		t.Fatal("the stored message is not in the data: the check is blind")
	}
	for name, b := range data {
		for _, secret := range []string{"4111 1111 1111 1111", "4111111111111111", "4012888888881881", "5555 5555 5555 4444", "CVC 123", "cvv 321", "lautet 987"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%q in %s", secret, name)
			}
		}
		// No "123" close behind a truncated card number either.
		for _, card := range []string{"4111 11** **** 1111", "5555 55** **** 4444"} {
			rest := b
			for {
				i := bytes.Index(rest, []byte(card))
				if i < 0 {
					break
				}
				rest = rest[i+len(card):]
				if near := rest[:min(len(rest), 40)]; bytes.Contains(near, []byte("123")) || bytes.Contains(near, []byte("321")) {
					t.Errorf("a security code next to %s in %s", card, name)
				}
			}
		}
	}
}

// TestIntakeFlags keeps flagged data as written, records it per message and
// follows the policy per request type and source.
func TestIntakeFlags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := desktest.New(t)
	// A member of every department: agents see sensitive data of their own departments only (docs/masking.md).
	agent := e.MustCreateAgent(t, "max@example.org", "Max Mustermann", auth.Agent, "support", "billing", "technical")
	tests := []struct {
		name, requestType, message string
		wantBody                   string
		want                       []pii.Count
	}{
		{"IBAN flagged", "general_question", "IBAN DE89 3704 0044 0532 0130 00 bitte", "IBAN DE89 3704 0044 0532 0130 00 bitte",
			[]pii.Count{{Kind: pii.IBAN, Action: pii.ActionFlag, N: 1}}},
		{"AHV and tax ID flagged", "general_question", "AHV 756.9217.0769.85, Steuer-ID 86095742719", "AHV 756.9217.0769.85, Steuer-ID 86095742719",
			[]pii.Count{{Kind: pii.AHV, Action: pii.ActionFlag, N: 1}, {Kind: pii.TaxID, Action: pii.ActionFlag, N: 1}}},
		{"birth date flagged", "general_question", "Geburtsdatum: 12.03.1985, geboren in Köln", "Geburtsdatum: 12.03.1985, geboren in Köln",
			[]pii.Count{{Kind: pii.BirthDate, Action: pii.ActionFlag, N: 1}, {Kind: pii.BirthPlace, Action: pii.ActionFlag, N: 1}}},
		{"birth date masked for technical problems", "technical_problem", "Geburtsdatum: 12.03.1985, geboren in Köln", "Geburtsdatum: [Geburtsdatum], geboren in [Geburtsort]",
			[]pii.Count{{Kind: pii.BirthDate, Action: pii.ActionMask, N: 1}, {Kind: pii.BirthPlace, Action: pii.ActionMask, N: 1}}},
		{"email and phone left", "general_question", "Erreichbar unter erika@example.org, Telefon 030 1234567", "Erreichbar unter erika@example.org, Telefon 030 1234567", nil},
		{"near misses untouched", "general_question", "IBAN DE89 3704 0044 0532 0130 01, Bestellung 4111 1111 1111 1112", "IBAN DE89 3704 0044 0532 0130 01, Bestellung 4111 1111 1111 1112", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Request(tt.requestType)
			r.Message = tt.message
			rc := e.MustSubmit(t, r)
			if diff := cmp.Diff(tt.want, rc.PII); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			v, err := e.Desk.Ticket(ctx, agent, rc.Ticket.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Messages[0].Body; got != tt.wantBody {
				t.Errorf("stored %q, want %q", got, tt.wantBody)
			}
			if diff := cmp.Diff(tt.want, v.Messages[0].PII); diff != "" {
				t.Errorf("stored findings (-want +got):\n%s", diff)
			}
		})
	}

	// Agents' replies: the organisation's IBAN in an invoice reply is
	// left (default policy), in other replies flagged; notes too.
	for _, tt := range []struct {
		requestType string
		internal    bool
		want        []pii.Count
	}{
		{"invoice_question", false, nil},
		{"general_question", false, []pii.Count{{Kind: pii.IBAN, Action: pii.ActionFlag, N: 1}}},
		{"general_question", true, []pii.Count{{Kind: pii.IBAN, Action: pii.ActionFlag, N: 1}}},
	} {
		rc := e.MustSubmit(t, e.Request(tt.requestType))
		body := "Bitte überweisen Sie auf DE89 3704 0044 0532 0130 00."
		m, err := e.Desk.Reply(ctx, agent, rc.Ticket.ID, desk.ReplyInput{Body: body, Internal: tt.internal})
		if err != nil {
			t.Fatal(err)
		}
		if m.Body != body {
			t.Errorf("%s reply changed: %q", tt.requestType, m.Body)
		}
		if diff := cmp.Diff(tt.want, m.PII); diff != "" {
			t.Errorf("%s reply (internal %v) findings (-want +got):\n%s", tt.requestType, tt.internal, diff)
		}
	}
}

func TestDescribePII(t *testing.T) {
	tests := []struct {
		counts []pii.Count
		lang   string
		want   string
	}{
		{nil, "de", ""},
		{[]pii.Count{{Kind: pii.PaymentCard, N: 1}}, "de", "eine Kartennummer"},
		{[]pii.Count{{Kind: pii.PaymentCard, N: 2}}, "en", "2 card numbers"},
		{[]pii.Count{{Kind: pii.IBAN, N: 1}, {Kind: pii.BirthDate, N: 1}, {Kind: pii.BirthPlace, N: 3}}, "de", "eine IBAN, ein Geburtsdatum und 3 Geburtsorte"},
		{[]pii.Count{{Kind: pii.IBAN, N: 1}, {Kind: pii.Email, N: 1}}, "en", "an IBAN and an email address"},
		{[]pii.Count{{Kind: "shoe_size", N: 1}}, "en", ""},
	}
	for _, tt := range tests {
		if got := desk.DescribePII(tt.counts, tt.lang); got != tt.want {
			t.Errorf("DescribePII(%v, %s) = %q, want %q", tt.counts, tt.lang, got, tt.want)
		}
	}
	if got := desk.MaskedNotice([]pii.Count{{Kind: pii.IBAN, Action: pii.ActionFlag, N: 1}}, "de"); got != "" {
		t.Errorf("notice for flagged data only: %q", got)
	}
}
