package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"frist/internal/desk"
	"frist/internal/pii"
	"frist/internal/ticket"
)

// Personal data in free text on pages: badges on messages saying what the
// policy masked or flagged, flagged spans highlighted for agents, and the
// notices after a reply. Values never leave the message body: redirects
// carry only kinds and counts.

// piiBadge is one kind of personal data found in a message.
type piiBadge struct {
	Text    string // e.g. "IBAN (markiert)"
	Flagged bool
}

// textPart is a piece of a message body or subject; Mark highlights
// flagged personal data and Label names its kind.
type textPart struct {
	Text  string
	Mark  bool
	Label string
}

// piiName is a kind's short name, e.g. "IBAN", "Zahlungskarte".
func piiName(k pii.Kind, lang string) string {
	return strings.Trim(pii.Label(k, lang), "[]")
}

// piiBadges describes a message's findings.
func (pg *page) piiBadges(counts []pii.Count) []piiBadge {
	var out []piiBadge
	for _, c := range counts {
		key := "pii_badge_flag"
		if c.Action == pii.ActionMask {
			key = "pii_badge_mask"
		}
		b := piiBadge{Text: pg.Tf(key, piiName(c.Kind, pg.Lang)), Flagged: c.Action == pii.ActionFlag}
		if c.N > 1 {
			b.Text += " ×" + strconv.Itoa(c.N)
		}
		out = append(out, b)
	}
	return out
}

// markFlagged splits text into parts with the personal data of the kinds
// the message's findings flagged marked. It scans again rather than store
// positions: the stored text is what was scanned, and the findings hold no
// offsets that could go stale. It returns nil when nothing is marked.
func markFlagged(text string, counts []pii.Count, lang string) []textPart {
	var kinds []pii.Kind
	for _, c := range counts {
		if c.Action == pii.ActionFlag {
			kinds = append(kinds, c.Kind)
		}
	}
	if len(kinds) == 0 {
		return nil
	}
	var parts []textPart
	pos := 0
	for _, f := range pii.Scan(text) {
		if !slices.Contains(kinds, f.Kind) {
			continue
		}
		if f.Start > pos {
			parts = append(parts, textPart{Text: text[pos:f.Start]})
		}
		parts = append(parts, textPart{Text: text[f.Start:f.End], Mark: true, Label: piiName(f.Kind, lang)})
		pos = f.End
	}
	if parts == nil {
		return nil
	}
	if pos < len(text) {
		parts = append(parts, textPart{Text: text[pos:]})
	}
	return parts
}

// setPII adds the badges and highlights to the messages of a ticket page,
// built one view per message in order, and highlights the subject with the
// first message's findings (the subject was screened with it).
func (pg *ticketPage) setPII(t *ticket.Ticket, msgs []ticket.Message) {
	if len(msgs) != len(pg.Messages) {
		return
	}
	for i, m := range msgs {
		pg.Messages[i].PII = pg.piiBadges(m.PII)
		pg.Messages[i].Parts = markFlagged(m.Body, m.PII, pg.Lang)
	}
	if len(msgs) > 0 {
		pg.SubjectParts = markFlagged(t.Subject, msgs[0].PII, pg.Lang)
	}
}

// setReplyPII shows what happened to personal data in the agent's last
// reply, from the query of the redirect after it (piiQuery).
func (pg *ticketPage) setReplyPII(q url.Values) {
	if what := desk.DescribePII(parsePIIQuery(q.Get("masked"), pii.ActionMask), pg.Lang); what != "" {
		pg.ReplyMasked = pg.Tf("pii_reply_masked", what)
	}
	if what := desk.DescribePII(parsePIIQuery(q.Get("flagged"), pii.ActionFlag), pg.Lang); what != "" {
		pg.ReplyFlagged = pg.Tf("pii_reply_flagged", what)
	}
}

// piiQuery adds the findings of one action to a redirect's query as
// "kind:count,…"; kinds and counts only, never a value.
func piiQuery(q url.Values, key string, counts []pii.Count, action pii.Action) {
	var s []string
	for _, c := range desk.WithAction(counts, action) {
		s = append(s, string(c.Kind)+":"+strconv.Itoa(c.N))
	}
	if len(s) > 0 {
		q.Set(key, strings.Join(s, ","))
	}
}

// parsePIIQuery reads piiQuery's value for action. Only known kinds with a
// count of 1 to 99 are taken, so that a crafted link can show no other
// text.
func parsePIIQuery(s string, action pii.Action) []pii.Count {
	var out []pii.Count
	for _, e := range strings.Split(s, ",") {
		k, n, ok := strings.Cut(e, ":")
		count, err := strconv.Atoi(n)
		if !ok || err != nil || count < 1 || count > 99 || !slices.Contains(pii.Kinds, pii.Kind(k)) {
			continue
		}
		out = append(out, pii.Count{Kind: pii.Kind(k), Action: action, N: count})
	}
	return out
}

// redirectWithPII is path with the masked and flagged findings as query.
func redirectWithPII(path string, counts []pii.Count, flagged bool) string {
	q := url.Values{}
	piiQuery(q, "masked", counts, pii.ActionMask)
	if flagged {
		piiQuery(q, "flagged", counts, pii.ActionFlag)
	}
	if len(q) == 0 {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + q.Encode()
}
