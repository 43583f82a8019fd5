package api

import (
	"time"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/ticket"
)

// deletionJSON tells a customer's integration when the new ticket will be
// deleted and by which rule. Due is null while the rule's start event
// (e.g. closure) has not happened.
type deletionJSON struct {
	Rule        *string `json:"rule"`
	Due         *string `json:"due"`
	Latest      *string `json:"latest"`
	Action      *string `json:"action"`
	Explanation string  `json:"explanation"`
}

// ticketDeletionJSON is a ticket's deletion schedule as agents see it: the
// rule that decides, the dates, restriction and legal hold, attribute
// values that expire earlier, and one sentence that explains it all.
type ticketDeletionJSON struct {
	Rule        *string           `json:"rule"` // null while no rule applies
	RuleName    string            `json:"rule_name"`
	RuleVersion string            `json:"rule_version"`
	Class       string            `json:"class"`
	Action      *string           `json:"action"`      // delete or anonymise
	Due         *string           `json:"due"`         // earliest deletion; null while pending
	Latest      *string           `json:"latest"`      // due plus the tolerated delay
	RestrictAt  *string           `json:"restrict_at"` // when the purpose ends under a legal obligation
	Restricted  bool              `json:"restricted"`
	Held        bool              `json:"held"`
	Anonymised  bool              `json:"anonymised"`
	Explanation string            `json:"explanation"`
	Fields      []fieldExpiryJSON `json:"fields"`
}

// fieldExpiryJSON is an attribute value deleted before its ticket.
type fieldExpiryJSON struct {
	Field string `json:"field"`
	Rule  string `json:"rule"`
	Due   string `json:"due"`
}

// newTicketDeletionJSON explains a ticket's deletion in the language.
func newTicketDeletionJSON(p *policy.Policy, d desk.Deletion) *ticketDeletionJSON {
	out := &ticketDeletionJSON{
		Rule: optional(d.Rule), RuleName: d.RuleName, RuleVersion: d.RuleVersion, Class: d.Class, Action: optional(string(d.Action)),
		Due: maybeStampPtr(p, d.Due), Latest: maybeStampPtr(p, d.Latest), RestrictAt: maybeStampPtr(p, d.RestrictAt),
		Restricted: d.Restricted, Held: d.Held, Anonymised: d.Anonymised, Explanation: d.Explanation, Fields: []fieldExpiryJSON{},
	}
	if d.Rule == "" {
		out.RuleName = ""
	}
	for _, f := range d.Fields {
		out.Fields = append(out.Fields, fieldExpiryJSON{Field: f.Field, Rule: f.Rule, Due: stamp(p, f.Due)})
	}
	return out
}

// withRetention adds the deletion schedule, explained in the language, to
// a ticket's JSON.
func (a *API) withRetention(tj *ticketJSON, t *ticket.Ticket, lang string) {
	tj.Deletion = newTicketDeletionJSON(a.desk.Policy(), a.desk.Deletion(t, lang))
	tj.EarliestDeletionAt, tj.LatestDeletionAt = tj.Deletion.Due, tj.Deletion.Latest
}

// optional is nil for "", else a pointer to s.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// maybeStampPtr is stamp for an optional time.
func maybeStampPtr(p *policy.Policy, t *time.Time) *string {
	if t == nil {
		return nil
	}
	return maybeStamp(p, *t)
}

// newDeletionJSON is the intake receipt's deletion part.
func newDeletionJSON(p *policy.Policy, d desk.Deletion) deletionJSON {
	return deletionJSON{Rule: optional(d.Rule), Due: maybeStampPtr(p, d.Due), Latest: maybeStampPtr(p, d.Latest),
		Action: optional(string(d.Action)), Explanation: d.Explanation}
}

// restrictedFilter reads ?restricted=hide|include|only of the ticket list.
// Only privacy officers see restricted tickets (GDPR Art. 18); others
// asking for them get fault.Forbidden rather than a silently shorter list.
func restrictedFilter(c *call, v string) (int, error) {
	switch v {
	case "", "hide":
		return store.RestrictedHide, nil
	case "include", "only":
		if c.agent.Role != auth.PrivacyOfficer {
			return 0, fault.Errorf(fault.Forbidden, "Only privacy officers see restricted tickets.")
		}
		if v == "only" {
			return store.RestrictedOnly, nil
		}
		return store.RestrictedInclude, nil
	}
	return 0, fault.Fields("Please check the query parameters.", fault.FieldError{Field: "restricted", Message: privacy.ErrOption})
}

// checkTags validates tags as desk.SetTags does, so that a PATCH with bad
// tags changes nothing else either.
func (a *API) checkTags(tags []string) error {
	if clean, bad := privacy.NormalizeTags(tags); bad != "" || len(clean) > 20 {
		return fault.Fields("Tags consist of lower-case letters, digits, - and _ (at most 40 characters, 20 tags).", fault.FieldError{Field: "tags", Message: "invalid_format"})
	}
	return nil
}
