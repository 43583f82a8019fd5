package desk

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"frist/internal/audit"
	"frist/internal/pii"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// Masking by role is enforced here, at one place for every output: each
// desk read that returns customer data — tickets, conversations, history,
// attachments' names, search hits — passes it through the viewer of the
// agent who asked, so that pages, the API and exports receive it already
// masked and cannot forget to. What a role sees of each data category is
// the policy's visibility section (policy.RoleVisibility).

type languageKey struct{}

// WithLanguage returns ctx carrying the language ("de" or "en") in which
// desk writes the labels and pseudonyms of masked data for this request;
// without it they are German.
func WithLanguage(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, languageKey{}, lang)
}

func languageOf(ctx context.Context) string {
	if l, _ := ctx.Value(languageKey{}).(string); l == "en" {
		return l
	}
	return "de"
}

// Masking is what of a ticket its viewer sees masked or hidden (see
// privacy.Visibility). The zero value means that everything is visible.
type Masking struct {
	// Customer is how the customer's name and email address are shown:
	// keyed pseudonyms when masked, nothing when hidden.
	Customer privacy.Visibility
	// Content is how the subject and messages are shown.
	Content privacy.Visibility
	// Fields holds each masked or hidden form field's visibility by id;
	// a masked field's value is a label such as "[Zahlungsart]", a hidden
	// one is missing from the ticket's fields.
	Fields map[string]privacy.Visibility
	// Text lists the categories of personal data replaced in free text
	// (subject, messages, tags, history) by labels or pseudonyms.
	Text []privacy.Category
	// Reveal lists the masked categories the viewer may reveal (Reveal).
	Reveal []privacy.Category
	// Audit lists the visible categories whose every view is recorded in
	// the audit trail (privacy officers' views of sensitive data).
	Audit []privacy.Category
	// Attachments says whether the viewer may open the ticket's
	// attachments; when not, their names are withheld too.
	Attachments bool
}

// Any reports whether anything is masked or hidden.
func (m Masking) Any() bool {
	return m.Customer != privacy.Visible || m.Content != privacy.Visible || len(m.Fields) > 0 || len(m.Text) > 0
}

// viewer applies what one agent sees to what a read returns.
type viewer struct {
	a    *Agent
	p    *policy.Policy
	rv   privacy.RoleVisibility
	key  []byte
	lang string
	// plain is true when the role sees every category everywhere, without
	// audit: the viewer changes nothing.
	plain bool
	// audited collects, by ticket, the audited categories a read showed.
	audited map[int64][]privacy.Category
}

// viewer returns the viewer of agent a for this request.
func (d *Desk) viewer(ctx context.Context, a *Agent) (*viewer, error) {
	v := &viewer{a: a, p: d.Policy(), lang: languageOf(ctx), audited: map[int64][]privacy.Category{}}
	if a != nil {
		v.rv = v.p.RoleVisibility(a.Role)
	} else {
		v.rv = v.p.RoleVisibility("")
	}
	v.plain = len(v.rv.AuditViews) == 0 && len(v.rv.OwnDepartmentOnly) == 0
	for _, c := range privacy.Categories {
		v.plain = v.plain && v.rv.Of(c) == privacy.Visible
	}
	if !v.plain {
		key, err := d.pseudonymKey(ctx)
		if err != nil {
			return nil, err
		}
		v.key = key
	}
	return v, nil
}

// ownDepartment reports whether a ticket belongs to one of the departments
// listed on the viewer's account (see privacy.RoleVisibility).
func (v *viewer) ownDepartment(t *ticket.Ticket) bool {
	return v.a != nil && slices.Contains(v.a.Departments, t.Department)
}

// ticketMask is a viewer's mask of one ticket, made from the ticket's
// stored values before any of them is replaced.
type ticketMask struct {
	v      *viewer
	id     int64
	access map[privacy.Category]privacy.Access
	red    *privacy.Redaction // nil: free text stays as it is
	values []privacy.Replacement
	kinds  func(pii.Kind) (string, bool)
	// shown collects the audited categories this mask let through.
	shown map[privacy.Category]bool
	// Masking is what the viewer sees of the ticket.
	masking Masking
	// raw customer and fields, kept for Reveal.
	customer ticket.Customer
	fields   map[string]string
}

// mask returns the viewer's mask of t; t is not changed.
func (v *viewer) mask(t *ticket.Ticket) *ticketMask { return v.maskFields(t, t.Fields) }

// maskFields is mask for a ticket loaded without its fields (lists),
// given them.
func (v *viewer) maskFields(t *ticket.Ticket, fields map[string]string) *ticketMask {
	m := &ticketMask{v: v, id: t.ID, access: map[privacy.Category]privacy.Access{}, shown: map[privacy.Category]bool{},
		customer: t.Customer, fields: fields}
	own := v.ownDepartment(t)
	for _, c := range privacy.Categories {
		m.access[c] = v.rv.Access(c, own)
	}
	return m.build(m.access)
}

// build computes the masking and the redaction for the given access.
func (m *ticketMask) build(access map[privacy.Category]privacy.Access) *ticketMask {
	v := m.v
	m.access = access
	m.masking = Masking{Customer: access[privacy.Contact].Visibility, Content: access[privacy.Content].Visibility, Attachments: true}
	if v.plain {
		return m
	}
	for _, c := range privacy.Categories {
		a := access[c]
		if a.Visibility != privacy.Visible {
			m.masking.Text = append(m.masking.Text, c)
			// An attachment cannot be masked: only who may see, or
			// reveal, everything of the ticket may open it.
			if !a.Reveal {
				m.masking.Attachments = false
			}
		}
		if a.Reveal {
			m.masking.Reveal = append(m.masking.Reveal, c)
		}
		if a.Audit {
			m.masking.Audit = append(m.masking.Audit, c)
		}
	}
	var values []privacy.Replacement
	if a := access[privacy.Contact]; a.Visibility != privacy.Visible {
		name, email := privacy.HiddenLabel, privacy.HiddenLabel
		if a.Visibility == privacy.Masked {
			name = privacy.Pseudonym(v.key, privacy.PseudonymCustomer, m.customer.ID, v.lang)
			email = privacy.PseudonymEmailAddress(v.key, m.customer.ID)
		}
		values = append(values, privacy.Replacement{Value: m.customer.Name, With: name}, privacy.Replacement{Value: m.customer.Email, With: email})
		// Customers sign with a part of their name: "Frau Mustermann".
		for _, part := range nameParts(m.customer.Name) {
			values = append(values, privacy.Replacement{Value: part, With: name})
		}
	}
	cat := v.p.Catalogue()
	for id, val := range m.fields {
		at, ok := cat.Attribute(id)
		c := privacy.Sensitive // a field the policy no longer declares is treated as sensitive
		label := privacy.MaskLabel(id)
		if ok {
			c, label = at.Category, privacy.MaskLabel(at.Label.In(v.lang))
		}
		vis := access[c].Visibility
		if vis == privacy.Visible {
			continue
		}
		if m.masking.Fields == nil {
			m.masking.Fields = map[string]privacy.Visibility{}
		}
		m.masking.Fields[id] = vis
		if vis == privacy.Hidden {
			label = privacy.HiddenLabel
		}
		values = append(values, fieldReplacements(at, val, label, v.lang)...)
	}
	kinds := func(k pii.Kind) (string, bool) {
		a := access[privacy.FreeTextCategory(k)]
		switch a.Visibility {
		case privacy.Visible:
			if a.Audit {
				m.shown[privacy.FreeTextCategory(k)] = true
			}
			return "", false
		case privacy.Masked:
			return pii.Label(k, v.lang), true
		}
		return privacy.HiddenLabel, true
	}
	m.values, m.kinds = values, kinds
	m.red = privacy.NewRedaction(values, kinds)
	return m
}

// learn adds the personal data the viewer may not see that the detectors
// find in texts of the ticket to the values replaced everywhere: a place
// of birth found in a message ("Geburtsort: Musterstadt") is replaced in
// a note or a tag that names it without context, too.
func (m *ticketMask) learn(texts ...string) {
	if m.v.plain {
		return
	}
	n := len(m.values)
	for _, s := range texts {
		for _, f := range privacy.Detect(s) {
			a := m.access[privacy.FreeTextCategory(f.Kind)]
			if a.Visibility == privacy.Visible {
				continue
			}
			with := privacy.HiddenLabel
			if a.Visibility == privacy.Masked {
				with = pii.Label(f.Kind, m.v.lang)
			}
			m.values = append(m.values, privacy.Replacement{Value: s[f.Start:f.End], With: with, Digits: f.Kind == pii.Phone})
		}
	}
	if len(m.values) > n {
		m.red = privacy.NewRedaction(m.values, m.kinds)
	}
}

// nameParts returns the words of a name that are replaced on their own
// too: four letters or more, and no particle such as "Frau" or "prof."
// (nameParticles).
func nameParts(name string) []string {
	var out []string
	for _, w := range strings.Fields(name) {
		w = strings.Trim(w, ".,;()")
		if len([]rune(w)) >= 4 && !nameParticles[strings.ToLower(w)] {
			out = append(out, w)
		}
	}
	if len(out) == 1 && out[0] == strings.TrimSpace(name) {
		return nil // the whole name, replaced already
	}
	return out
}

// fieldReplacements returns what replaces a field's value in free text.
// Options of a select are not replaced: they are words of the form, not
// the customer's; dates are matched as people write them.
func fieldReplacements(at *privacy.Attribute, val, with, lang string) []privacy.Replacement {
	if val == "" {
		return nil
	}
	kind := privacy.KindText
	if at != nil {
		kind = at.Kind
	}
	switch kind {
	case privacy.KindSelect:
		return nil
	case privacy.KindDate:
		d, err := time.Parse(time.DateOnly, val)
		if err != nil {
			break
		}
		out := []privacy.Replacement{{Value: val, With: with}, {Value: d.Format("02.01.2006"), With: with}, {Value: d.Format("2.1.2006"), With: with}}
		if lang == "en" {
			out = append(out, privacy.Replacement{Value: d.Format("2 January 2006"), With: with})
		}
		return out
	}
	if at != nil && at.ID == "phone" {
		return []privacy.Replacement{{Value: val, With: pii.Label(pii.Phone, lang), Digits: true}}
	}
	return []privacy.Replacement{{Value: val, With: with}}
}

// text returns free text of the ticket as the viewer sees it.
func (m *ticketMask) text(s string) string {
	if m.v.plain || s == "" {
		return s
	}
	switch m.access[privacy.Content].Visibility {
	case privacy.Masked:
		return privacy.ContentLabel.In(m.v.lang)
	case privacy.Hidden:
		return ""
	}
	if a := m.access[privacy.Content]; a.Audit {
		m.shown[privacy.Content] = true
	}
	return m.red.Apply(s)
}

// apply masks the ticket itself: customer, subject, fields and tags. Call
// it after every other use of the mask, which needs the stored values.
func (m *ticketMask) apply(t *ticket.Ticket) {
	if m.v.plain {
		return
	}
	t.Subject = m.text(t.Subject)
	switch m.access[privacy.Contact].Visibility {
	case privacy.Masked:
		t.Customer.Name = privacy.Pseudonym(m.v.key, privacy.PseudonymCustomer, t.Customer.ID, m.v.lang)
		t.Customer.Email = privacy.PseudonymEmailAddress(m.v.key, t.Customer.ID)
	case privacy.Hidden:
		t.Customer.Name, t.Customer.Email = "", ""
	default:
		if m.access[privacy.Contact].Audit && (t.Customer.Name != "" || t.Customer.Email != "") {
			m.shown[privacy.Contact] = true
		}
	}
	if t.Fields != nil {
		fields := make(map[string]string, len(t.Fields))
		cat := m.v.p.Catalogue()
		for id, val := range t.Fields {
			switch m.masking.Fields[id] {
			case privacy.Hidden:
				continue
			case privacy.Masked:
				label := privacy.MaskLabel(id)
				if at, ok := cat.Attribute(id); ok {
					label = privacy.MaskLabel(at.Label.In(m.v.lang))
				}
				fields[id] = label
			default:
				fields[id] = val
				if at, ok := cat.Attribute(id); ok && val != "" && m.access[at.Category].Audit {
					m.shown[at.Category] = true
				}
			}
		}
		t.Fields = fields
	}
	t.Tags = m.tags(t.Tags)
	m.v.note(m)
}

// tags returns tags as the viewer sees them: an agent may have tagged a
// ticket with a customer number.
func (m *ticketMask) tags(tags []string) []string {
	if m.v.plain || len(tags) == 0 {
		return tags
	}
	out := make([]string, len(tags))
	for i, x := range tags {
		out[i] = m.red.Apply(x)
	}
	return out
}

// unmaskTags returns tags as an agent submitted them with each label of a
// tag the agent sees masked (as view shows it) replaced by that tag.
func (v *viewer) unmaskTags(tx *store.Tx, t *ticket.Ticket, submitted []string) ([]string, error) {
	if v.plain || len(t.Tags) == 0 {
		return submitted, nil
	}
	msgs, err := tx.FindMessages(t.ID, true)
	if err != nil {
		return nil, err
	}
	m := v.mask(t)
	texts := []string{t.Subject}
	for _, msg := range msgs {
		texts = append(texts, msg.Body)
	}
	m.learn(texts...)
	hidden := map[string][]string{} // label → the tags it stands for
	for _, x := range t.Tags {
		if shown := m.red.Apply(x); shown != x {
			key := strings.ToLower(shown)
			hidden[key] = append(hidden[key], x)
		}
	}
	clear(m.shown)
	out := make([]string, len(submitted))
	for i, x := range submitted {
		key := strings.ToLower(strings.TrimSpace(x))
		if tags := hidden[key]; len(tags) > 0 {
			x, hidden[key] = tags[0], tags[1:]
		}
		out[i] = x
	}
	return out, nil
}

// view masks a ticket view: the ticket, conversation, history and
// attachments' names, and says what was masked.
func (v *viewer) view(tv *TicketView) *ticketMask {
	m := v.mask(tv.Ticket)
	tv.Masking = m.masking
	if v.plain {
		return m
	}
	texts := []string{tv.Ticket.Subject}
	for _, msg := range tv.Messages {
		texts = append(texts, msg.Body)
	}
	m.learn(texts...)
	if m.access[privacy.Content].Visibility == privacy.Hidden {
		tv.Messages = nil
	}
	for i := range tv.Messages {
		tv.Messages[i].Body = m.text(tv.Messages[i].Body)
	}
	for i := range tv.Changes {
		c := &tv.Changes[i]
		if c.Field == "tags" {
			c.From = strings.Join(m.tags(strings.Split(c.From, ",")), ",")
			c.To = strings.Join(m.tags(strings.Split(c.To, ",")), ",")
		} else {
			c.From, c.To = m.red.Apply(c.From), m.red.Apply(c.To)
		}
	}
	if m.access[privacy.Content].Visibility == privacy.Hidden {
		tv.Attachments = nil
	}
	if !m.masking.Attachments {
		// Numbered in the order of the messages (their ids).
		ids := make([]int64, 0, len(tv.Attachments))
		for id := range tv.Attachments {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		n := 0
		for _, id := range ids {
			for i := range tv.Attachments[id] {
				n++
				tv.Attachments[id][i].Name, tv.Attachments[id][i].SHA256 = attachmentLabel(n, v.lang), ""
			}
		}
	}
	m.apply(tv.Ticket)
	return m
}

// attachmentLabel stands in for the name of an attachment the viewer may
// not open.
func attachmentLabel(n int, lang string) string {
	if lang == "en" {
		return privacy.MaskLabel("attachment " + strconv.Itoa(n))
	}
	return privacy.MaskLabel("Anhang " + strconv.Itoa(n))
}

// note records the audited categories a mask let through.
func (v *viewer) note(m *ticketMask) {
	for c, ok := range m.shown {
		if ok && !slices.Contains(v.audited[m.id], c) {
			v.audited[m.id] = append(v.audited[m.id], c)
		}
	}
	clear(m.shown)
}

// auditViews records in the audit trail every view of audited categories
// (privacy officers' views of sensitive data by default) the viewer's
// reads showed, one entry per ticket: ticket number and categories, never
// a value.
func (d *Desk) auditViews(ctx context.Context, v *viewer, via string) error {
	if len(v.audited) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(v.audited))
	for id := range v.audited {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	entries := make([]*audit.Entry, 0, len(ids))
	for _, id := range ids {
		cs := make([]string, 0, len(v.audited[id]))
		for _, c := range v.audited[id] {
			cs = append(cs, string(c))
		}
		slices.Sort(cs)
		entries = append(entries, auditEntry(v.a, audit.TicketViewAudited, "ticket:"+ticket.FormatNumber(id), "categories="+strings.Join(cs, ",")+" via="+via))
	}
	clear(v.audited)
	return d.db.Write(ctx, func(tx *store.Tx) error { return tx.AppendAudits(entries) })
}

// matchesQuery reports whether every word of a search query is found in
// the text as the viewer sees it, so that a search never finds a ticket
// by data the viewer may not see. Words match as the search index matches
// them: case- and accent-insensitively, as prefixes, and with word endings
// (stems) allowed to differ by a few letters.
func matchesQuery(q, text string) bool {
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	var tokens []string
	for _, w := range split(text) {
		tokens = append(tokens, foldWord(w))
	}
	for _, w := range split(q) {
		w = foldWord(w)
		found := false
		for _, t := range tokens {
			if relatedWords(w, t) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// relatedWords reports whether a query word q may have matched token t in
// the search index: t starts with q, or both share a stem that differs
// from each by at most three letters at the end.
func relatedWords(q, t string) bool {
	if strings.HasPrefix(t, q) {
		return true
	}
	qr, tr := []rune(q), []rune(t)
	n := 0
	for n < len(qr) && n < len(tr) && qr[n] == tr[n] {
		n++
	}
	return n >= 4 && len(qr)-n <= 3 && len(tr)-n <= 3
}

// foldWord lower-cases a word and removes the accents of German, French
// and Italian letters, as the search index does.
func foldWord(w string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(w) {
		switch r {
		case 'ä', 'à', 'á', 'â':
			b.WriteRune('a')
		case 'ö', 'ò', 'ó', 'ô':
			b.WriteRune('o')
		case 'ü', 'ù', 'ú', 'û':
			b.WriteRune('u')
		case 'é', 'è', 'ê', 'ë':
			b.WriteRune('e')
		case 'ï', 'î', 'ì', 'í':
			b.WriteRune('i')
		case 'ç':
			b.WriteRune('c')
		case 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// maskTickets masks tickets of a list for the agent, in place, and audits
// the audited categories shown (via names the read: list, update …).
func (d *Desk) maskTickets(ctx context.Context, a *Agent, ts []*ticket.Ticket, via string) error {
	v, err := d.viewer(ctx, a)
	if err != nil {
		return err
	}
	if v.plain {
		return nil
	}
	facts, err := d.listFacts(ctx, ts)
	if err != nil {
		return err
	}
	for _, t := range ts {
		m := v.maskFields(t, facts.fields(t))
		m.learn(append(facts.texts[t.ID], t.Subject)...)
		m.apply(t)
	}
	return d.auditViews(ctx, v, via)
}

// listFacts is what masking a list needs that the list does not carry.
type listFacts struct {
	byTicket map[int64]map[string]string // form fields
	texts    map[int64][]string          // messages of tagged tickets
}

// fields returns a ticket's form fields: its own when it was loaded with
// them, else those listFacts loaded.
func (f listFacts) fields(t *ticket.Ticket) map[string]string {
	if t.Fields != nil {
		return t.Fields
	}
	return f.byTicket[t.ID]
}

// listFacts loads the form fields of tickets of a list, whose values are
// replaced wherever they occur, and the messages of those with tags: an
// agent may have tagged a ticket with what only a message says.
func (d *Desk) listFacts(ctx context.Context, ts []*ticket.Ticket) (listFacts, error) {
	f := listFacts{texts: map[int64][]string{}}
	ids := make([]int64, 0, len(ts))
	for _, t := range ts {
		if t.Fields == nil {
			ids = append(ids, t.ID)
		}
	}
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if f.byTicket, err = tx.FindTicketFields(ids); err != nil {
			return err
		}
		for _, t := range ts {
			if len(t.Tags) == 0 {
				continue
			}
			msgs, err := tx.FindMessages(t.ID, true)
			if err != nil {
				return err
			}
			for _, m := range msgs {
				f.texts[t.ID] = append(f.texts[t.ID], m.Body)
			}
		}
		return nil
	})
	return f, err
}

// maskView masks a ticket view for the agent, in place, and audits the
// audited categories shown.
func (d *Desk) maskView(ctx context.Context, a *Agent, tv *TicketView) error {
	v, err := d.viewer(ctx, a)
	if err != nil {
		return err
	}
	v.view(tv)
	return d.auditViews(ctx, v, "ticket")
}

// maskHits masks search hits for the agent and drops those the query
// matched only in data the agent may not see.
func (d *Desk) maskHits(ctx context.Context, a *Agent, q string, hits []store.SearchHit) ([]store.SearchHit, error) {
	v, err := d.viewer(ctx, a)
	if err != nil {
		return nil, err
	}
	if v.plain {
		return hits, nil
	}
	ts := make([]*ticket.Ticket, len(hits))
	for i, h := range hits {
		ts[i] = h.Ticket
	}
	facts, err := d.listFacts(ctx, ts)
	if err != nil {
		return nil, err
	}
	out := hits[:0]
	for _, h := range hits {
		m := v.maskFields(h.Ticket, facts.fields(h.Ticket))
		m.learn(append(facts.texts[h.Ticket.ID], h.Ticket.Subject, h.Message.Body)...)
		body, subject := m.text(h.Message.Body), m.text(h.Ticket.Subject)
		if !matchesQuery(q, subject+"\n"+body) {
			clear(m.shown)
			continue
		}
		h.Message.Body = body
		m.apply(h.Ticket)
		out = append(out, h)
	}
	return out, d.auditViews(ctx, v, "search")
}

// maskMessage masks a message of ticket t that the agent just wrote.
func (d *Desk) maskMessage(ctx context.Context, a *Agent, t *ticket.Ticket, msg *ticket.Message) error {
	v, err := d.viewer(ctx, a)
	if err != nil {
		return err
	}
	m := v.mask(t)
	m.learn(t.Subject, msg.Body)
	msg.Body = m.text(msg.Body)
	v.note(m)
	return d.auditViews(ctx, v, "reply")
}
