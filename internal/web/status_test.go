package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"frist/internal/auth"
	"frist/internal/desk"
)

func TestStatusPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	agent := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	rc := e.MustSubmit(t, e.Request("general_question"))
	if _, err := e.Desk.Reply(ctx, agent, rc.Ticket.ID, desk.ReplyInput{Body: "Öffentliche Antwort an Erika"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Desk.Reply(ctx, agent, rc.Ticket.ID, desk.ReplyInput{Body: "Geheime interne Notiz", Internal: true}); err != nil {
		t.Fatal(err)
	}
	path := "/t/" + rc.StatusSecret
	b := e.browser(t)

	res := b.get(path)
	check(t, res, 200,
		[]string{rc.Ticket.Number(), "Wartet auf Kunden", "Frage zur Rechnung", "Öffentliche Antwort an Erika", "Support-Team",
			`action="` + path + `/reply"`, `action="` + path + `/close"`, "Testuhr aktiv"},
		[]string{"Geheime interne Notiz", "Interne Notiz", "Anna Agentin"})
	if res.header.Get("Cache-Control") != "no-store" || res.header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("headers: %v", res.header)
	}
	// The language switch does not carry the secret into a query string.
	if strings.Contains(res.body, "next=%2Ft%2F") {
		t.Error("language link carries the status path")
	}

	for _, tc := range []struct {
		name     string
		path     string
		form     url.Values
		status   int
		location string
		then     []string
		thenNot  []string
	}{
		{"EmptyReply", path + "/reply", url.Values{"message": {"   "}}, 422, "", nil, nil},
		{"ReplyReopens", path + "/reply", url.Values{"message": {"Danke, noch eine Frage " + xss}}, 303, path + "?done=reply",
			[]string{"In Bearbeitung", "Danke, noch eine Frage " + xssEscaped, "Ihre Nachricht wurde gesendet."}, []string{xss}},
		{"Close", path + "/close", url.Values{}, 303, path + "?done=close",
			[]string{"Geschlossen", "Die Anfrage wurde geschlossen."}, []string{`action="` + path + `/close"`}},
		{"ReplyAfterClose", path + "/reply", url.Values{"message": {"Doch noch etwas"}}, 303, path + "?done=reply",
			[]string{"In Bearbeitung", "Doch noch etwas"}, nil},
		{"UnknownSecretReply", "/t/unknown/reply", url.Values{"message": {"x"}}, 404, "", nil, nil},
		{"UnknownSecretClose", "/t/unknown/close", url.Values{}, 404, "", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := b.post(tc.path, tc.form)
			if res.status != tc.status {
				t.Fatalf("status = %d, want %d", res.status, tc.status)
			}
			if tc.location != "" {
				if loc := res.header.Get("Location"); loc != tc.location {
					t.Fatalf("Location = %q", loc)
				}
				check(t, b.get(tc.location), 200, tc.then, tc.thenNot)
			}
		})
	}
	t.Run("EmptyReplyMessage", func(t *testing.T) {
		check(t, b.post(path+"/reply", url.Values{"message": {""}}), 422,
			[]string{"Bitte füllen Sie dieses Feld aus.", `aria-invalid="true"`}, nil)
	})
	t.Run("UnknownSecret", func(t *testing.T) {
		res := b.get("/t/not-a-secret")
		check(t, res, http.StatusNotFound, []string{"Nicht gefunden"}, nil)
	})
}
