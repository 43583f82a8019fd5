package privacy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"frist/internal/period"
)

// StartEvent is the moment a retention period starts counting from.
type StartEvent string

// Start events. The end_of_… events round the event up to the end of its
// calendar or fiscal year in the legal time zone, as commercial and tax
// law count retention periods (HGB §257(5), AO §147(4), OR Art. 958f).
const (
	StartCollected                StartEvent = "collected"     // ticket created
	StartClosed                   StartEvent = "closed"        // ticket closed; a reopen resets it
	StartLastActivity             StartEvent = "last_activity" // last message or change
	StartEndOfYearCollected       StartEvent = "end_of_year_after_collected"
	StartEndOfYearClosed          StartEvent = "end_of_year_after_closed"
	StartEndOfFiscalYearCollected StartEvent = "end_of_fiscal_year_after_collected"
	StartEndOfFiscalYearClosed    StartEvent = "end_of_fiscal_year_after_closed"
)

// StartEvents lists the start events.
var StartEvents = []StartEvent{StartCollected, StartClosed, StartLastActivity,
	StartEndOfYearCollected, StartEndOfYearClosed, StartEndOfFiscalYearCollected, StartEndOfFiscalYearClosed}

func (s StartEvent) valid() bool {
	for _, x := range StartEvents {
		if s == x {
			return true
		}
	}
	return false
}

// needsClosure reports whether the event happens only when the ticket is
// closed.
func (s StartEvent) needsClosure() bool {
	return s == StartClosed || s == StartEndOfYearClosed || s == StartEndOfFiscalYearClosed
}

// RetentionAction is what happens when a retention period ends.
type RetentionAction string

// Retention actions.
const (
	ActionDelete    RetentionAction = "delete"    // the ticket and everything about it is removed
	ActionAnonymise RetentionAction = "anonymise" // statistics stay, every personal datum goes
)

// Actions the retention sweeper records besides the classes' actions.
const (
	ActionRestrict     RetentionAction = "restrict"      // purpose ended, a legal obligation still runs
	ActionExpireFields RetentionAction = "expire_fields" // attribute-level retention ended
)

// Shortest and longest retention period a class may have.
const (
	MinRetention = 5 * time.Second
	MaxRetention = 10*366*24*time.Hour + 7*24*time.Hour
)

// Class is a retention class: start event, period, action and legal
// basis, e.g. "commercial letter: 6 years from the end of the year".
type Class struct {
	ID         string          `yaml:"id" json:"id"`
	Name       Text            `yaml:"name" json:"name"`
	Start      StartEvent      `yaml:"start" json:"start"`
	Period     period.Period   `yaml:"period" json:"period"`
	Action     RetentionAction `yaml:"action" json:"action"`
	LegalBasis Text            `yaml:"legal_basis" json:"legal_basis"`
	// Obligation marks a legal duty to keep the data (HGB §257, AO §147,
	// OR Art. 958f) rather than the operational purpose. When a ticket's
	// purpose classes have ended while an obligation still runs, the
	// ticket is restricted (GDPR Art. 18) until the obligation ends.
	Obligation bool `yaml:"legal_obligation,omitempty" json:"legal_obligation"`
}

// Rule maps tickets or their attributes to a retention class. A rule with
// categories or fields sets the retention of those attribute values only
// (they are blanked when it ends while the ticket stays); any other rule
// sets the retention of whole tickets. Rules with the same id are versions
// of one rule; the newest version whose effective date has come applies.
type Rule struct {
	ID            string     `yaml:"id" json:"id"`
	Name          Text       `yaml:"name" json:"name"`
	EffectiveFrom string     `yaml:"effective_from,omitempty" json:"effective_from,omitempty"` // YYYY-MM-DD in the legal time zone; empty: always
	RequestTypes  []string   `yaml:"request_types,omitempty" json:"request_types,omitempty"`   // empty: all
	Tags          []string   `yaml:"tags,omitempty" json:"tags,omitempty"`                     // any of them; empty: no condition
	Categories    []Category `yaml:"categories,omitempty" json:"categories,omitempty"`         // attribute-level: values of these categories
	Fields        []string   `yaml:"fields,omitempty" json:"fields,omitempty"`                 // attribute-level: these attributes
	Class         string     `yaml:"class" json:"class"`
	effective     time.Time  // zero: always
	categories    map[Category]bool
	fieldSet      map[string]bool
	class         *Class
}

// AttributeLevel reports whether the rule sets the retention of attribute
// values rather than of whole tickets.
func (r *Rule) AttributeLevel() bool { return len(r.Categories) > 0 || len(r.Fields) > 0 }

// Version names the rule version: its effective date, or "1" for a rule
// without one.
func (r *Rule) Version() string {
	if r.EffectiveFrom == "" {
		return "1"
	}
	return r.EffectiveFrom
}

// Retention is the deletion concept's configuration: legal settings of the
// installation, retention classes and rules.
type Retention struct {
	// Jurisdiction is the law the installation follows: DE, AT or CH.
	Jurisdiction string `yaml:"jurisdiction" json:"jurisdiction"`
	// TimeZone is the legal time zone periods are counted in; default by
	// jurisdiction (Europe/Berlin, Europe/Vienna, Europe/Zurich).
	TimeZone string `yaml:"time_zone,omitempty" json:"time_zone"`
	// FiscalYearEnd is the last day of the fiscal year as MM-DD; default 12-31.
	FiscalYearEnd string `yaml:"fiscal_year_end,omitempty" json:"fiscal_year_end"`
	// Tolerance is the delay of the deletion run an organisation accepts:
	// data is deleted no earlier than the end of its retention period and
	// no later than that plus the tolerance. Default P1D.
	Tolerance period.Period `yaml:"tolerance,omitempty" json:"tolerance"`
	// Responsible names who is responsible for the deletion concept, for
	// the generated document, e.g. the data protection officer's function.
	Responsible Text    `yaml:"responsible,omitempty" json:"responsible"`
	Classes     []Class `yaml:"classes" json:"classes"`
	Rules       []Rule  `yaml:"rules" json:"rules"`

	loc        *time.Location
	fyMonth    time.Month
	fyDay      int
	categoryOf map[string]Category
}

// Jurisdictions and their default legal time zones.
var jurisdictionZones = map[string]string{"DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich"}

// Validate checks the configuration against the catalogue and the
// request types and prepares it for use.
func (r *Retention) Validate(cat *Catalogue, requestType func(string) bool) error {
	if r.Jurisdiction == "" {
		r.Jurisdiction = "DE"
	}
	zone, ok := jurisdictionZones[r.Jurisdiction]
	if !ok {
		return fmt.Errorf("retention.jurisdiction: %q is not one of DE, AT, CH", r.Jurisdiction)
	}
	if r.TimeZone == "" {
		r.TimeZone = zone
	}
	loc, err := time.LoadLocation(r.TimeZone)
	if err != nil {
		return fmt.Errorf("retention.time_zone: %w", err)
	}
	r.loc = loc
	if r.FiscalYearEnd == "" {
		r.FiscalYearEnd = "12-31"
	}
	fy, err := time.Parse("01-02", r.FiscalYearEnd)
	if err != nil || fy.Month() == time.February && fy.Day() == 29 {
		return fmt.Errorf("retention.fiscal_year_end: %q is not a day as MM-DD (e.g. 12-31 or 06-30)", r.FiscalYearEnd)
	}
	r.fyMonth, r.fyDay = fy.Month(), fy.Day()
	if r.Tolerance.IsZero() {
		r.Tolerance = period.MustParse("P1D")
	}
	if r.Tolerance.Approx() > 31*24*time.Hour {
		return fmt.Errorf("retention.tolerance: %s is longer than a month", r.Tolerance)
	}
	r.categoryOf = map[string]Category{}
	for _, a := range cat.Attributes() {
		r.categoryOf[a.ID] = a.Category
	}
	classes := map[string]*Class{}
	for i := range r.Classes {
		c := &r.Classes[i]
		switch {
		case !validID(c.ID) || classes[c.ID] != nil:
			return fmt.Errorf("retention.classes: %q is not a valid new id", c.ID)
		case c.Name.DE == "" || c.Name.EN == "":
			return fmt.Errorf("retention class %q: name needs German and English", c.ID)
		case !c.Start.valid():
			return fmt.Errorf("retention class %q: start %q is not one of %v", c.ID, c.Start, StartEvents)
		case c.Period.Approx() < MinRetention || c.Period.Approx() > MaxRetention:
			return fmt.Errorf("retention class %q: period %s is not between PT5S and P10Y", c.ID, c.Period)
		case c.Action != ActionDelete && c.Action != ActionAnonymise:
			return fmt.Errorf("retention class %q: action %q is not delete or anonymise", c.ID, c.Action)
		case c.LegalBasis.DE == "" || c.LegalBasis.EN == "":
			return fmt.Errorf("retention class %q: legal_basis needs German and English", c.ID)
		}
		classes[c.ID] = c
	}
	versions := map[string]map[string]bool{}
	level := map[string]bool{}
	catchAll := false
	for i := range r.Rules {
		ru := &r.Rules[i]
		if !validID(ru.ID) {
			return fmt.Errorf("retention.rules: %q is not a valid id", ru.ID)
		}
		if ru.Name.DE == "" || ru.Name.EN == "" {
			return fmt.Errorf("retention rule %q: name needs German and English", ru.ID)
		}
		ru.effective = time.Time{}
		if ru.EffectiveFrom != "" {
			d, err := time.ParseInLocation("2006-01-02", ru.EffectiveFrom, loc)
			if err != nil {
				return fmt.Errorf("retention rule %q: effective_from %q is not a date (YYYY-MM-DD)", ru.ID, ru.EffectiveFrom)
			}
			ru.effective = d
		}
		if versions[ru.ID] == nil {
			versions[ru.ID] = map[string]bool{}
		} else if level[ru.ID] != ru.AttributeLevel() {
			return fmt.Errorf("retention rule %q: all versions must apply to the same kind of data", ru.ID)
		}
		if versions[ru.ID][ru.EffectiveFrom] {
			return fmt.Errorf("retention rule %q: two versions with effective_from %q", ru.ID, ru.EffectiveFrom)
		}
		versions[ru.ID][ru.EffectiveFrom] = true
		level[ru.ID] = ru.AttributeLevel()
		ru.class = classes[ru.Class]
		if ru.class == nil {
			return fmt.Errorf("retention rule %q: class %q is not declared", ru.ID, ru.Class)
		}
		for _, t := range ru.RequestTypes {
			if !requestType(t) {
				return fmt.Errorf("retention rule %q: request type %q is not declared", ru.ID, t)
			}
		}
		for _, t := range ru.Tags {
			if !ValidTag(t) {
				return fmt.Errorf("retention rule %q: tag %q is not valid (lower-case letters, digits, - and _)", ru.ID, t)
			}
		}
		ru.categories = map[Category]bool{}
		for _, c := range ru.Categories {
			if !c.Valid() {
				return fmt.Errorf("retention rule %q: category %q is not one of %v", ru.ID, c, Categories)
			}
			ru.categories[c] = true
		}
		ru.fieldSet = map[string]bool{}
		for _, f := range ru.Fields {
			a, ok := cat.Attribute(f)
			if !ok {
				return fmt.Errorf("retention rule %q: field %q is not in the catalogue", ru.ID, f)
			}
			if a.Core && f != AttrName && f != AttrEmail {
				return fmt.Errorf("retention rule %q: field %q is part of every ticket; give the ticket a class instead", ru.ID, f)
			}
			ru.fieldSet[f] = true
		}
		if ru.AttributeLevel() && ru.class.Action != ActionDelete {
			return fmt.Errorf("retention rule %q: attribute values can only be deleted; use a class with action delete", ru.ID)
		}
		if !ru.AttributeLevel() && len(ru.RequestTypes) == 0 && len(ru.Tags) == 0 && ru.EffectiveFrom == "" {
			catchAll = true
		}
	}
	if len(r.Rules) > 0 && !catchAll {
		return fmt.Errorf("retention.rules: one rule without request_types, tags and effective_from is needed, so that every ticket has a deletion date")
	}
	return nil
}

// Location returns the legal time zone.
func (r *Retention) Location() *time.Location {
	if r.loc == nil {
		return time.UTC
	}
	return r.loc
}

// Class returns the class with the id.
func (r *Retention) Class(id string) (*Class, bool) {
	for i := range r.Classes {
		if r.Classes[i].ID == id {
			return &r.Classes[i], true
		}
	}
	return nil, false
}

// Enabled reports whether any rule is configured.
func (r *Retention) Enabled() bool { return len(r.Rules) > 0 }

// InForce returns the rule versions that apply at now: for each rule id the
// newest version whose effective date has come, in the file's order.
func (r *Retention) InForce(now time.Time) []*Rule {
	best := map[string]*Rule{}
	var order []string
	for i := range r.Rules {
		ru := &r.Rules[i]
		if !ru.effective.IsZero() && ru.effective.After(now) {
			continue
		}
		cur, ok := best[ru.ID]
		if !ok {
			order = append(order, ru.ID)
		}
		if !ok || ru.effective.After(cur.effective) {
			best[ru.ID] = ru
		}
	}
	out := make([]*Rule, 0, len(order))
	for _, id := range order {
		out = append(out, best[id])
	}
	return out
}

// Rule returns the version of the rule with the id in force at now.
func (r *Retention) Rule(id string, now time.Time) (*Rule, bool) {
	for _, ru := range r.InForce(now) {
		if ru.ID == id {
			return ru, true
		}
	}
	return nil, false
}

// Fingerprint identifies the rules and classes in force at now: when it
// changes (a new policy, or a rule version's effective date has come),
// every stored schedule must be recomputed.
func (r *Retention) Fingerprint(now time.Time) string {
	type doc struct {
		Jurisdiction, TimeZone, FiscalYearEnd, Tolerance string
		Classes                                          []Class
		Rules                                            []Rule
	}
	d := doc{Jurisdiction: r.Jurisdiction, TimeZone: r.TimeZone, FiscalYearEnd: r.FiscalYearEnd, Tolerance: r.Tolerance.String(), Classes: r.Classes}
	for _, ru := range r.InForce(now) {
		d.Rules = append(d.Rules, *ru)
	}
	b, _ := json.Marshal(d)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// NextVersionChange returns the next effective date after now at which a
// rule version takes over, or the zero time when none is pending.
func (r *Retention) NextVersionChange(now time.Time) time.Time {
	var next time.Time
	for i := range r.Rules {
		e := r.Rules[i].effective
		if e.After(now) && (next.IsZero() || e.Before(next)) {
			next = e
		}
	}
	return next
}

// Facts are what a ticket's schedule depends on.
type Facts struct {
	RequestType  string
	Tags         []string
	Fields       []string  // ids of attributes with a stored value
	Created      time.Time // collected
	Closed       time.Time // zero unless the ticket is closed
	LastActivity time.Time
}

// Schedule is a ticket's retention: which rule wins, when the ticket is
// deleted or anonymised, when it is restricted, and when attribute values
// expire before it. Times are UTC.
type Schedule struct {
	Rule        string          `json:"rule"`
	RuleVersion string          `json:"rule_version"`
	Class       string          `json:"class"`
	Action      RetentionAction `json:"action"`
	// Due is the end of the retention period (earliest deletion); nil
	// while the start event has not happened.
	Due *time.Time `json:"due,omitempty"`
	// Latest is Due plus the tolerated delay of the deletion run.
	Latest *time.Time `json:"latest,omitempty"`
	// RestrictAt is when the operational purpose ends while a legal
	// obligation still runs; nil when no restriction is scheduled.
	RestrictAt   *time.Time    `json:"restrict_at,omitempty"`
	RestrictRule string        `json:"restrict_rule,omitempty"`
	Outlasted    []Outlasted   `json:"outlasted,omitempty"` // other rules that applied; the winner outlasts them
	Fields       []FieldExpiry `json:"fields,omitempty"`
}

// Outlasted is a rule that applied to a ticket but ends no later than the
// rule that won.
type Outlasted struct {
	Rule  string     `json:"rule"`
	Class string     `json:"class"`
	Due   *time.Time `json:"due,omitempty"` // nil while its start event is pending
}

// FieldExpiry is an attribute value that is deleted before its ticket.
type FieldExpiry struct {
	Field       string    `json:"field"`
	Rule        string    `json:"rule"`
	RuleVersion string    `json:"rule_version"`
	Class       string    `json:"class"`
	Due         time.Time `json:"due"`
}

// IsZero reports whether no rule applied.
func (s Schedule) IsZero() bool { return s.Rule == "" }

// Next returns the next moment something in the schedule falls due: an
// attribute expiry, the restriction (unless already restricted) or the
// deletion; the zero time when nothing is scheduled.
func (s Schedule) Next(restricted bool) time.Time {
	var next time.Time
	take := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, f := range s.Fields {
		take(f.Due)
	}
	if s.RestrictAt != nil && !restricted {
		take(*s.RestrictAt)
	}
	if s.Due != nil {
		take(*s.Due)
	}
	return next
}

// Schedule computes a ticket's retention at now. When several rules apply,
// the longest retention wins; a rule whose start event is still pending
// (e.g. "90 days after closure" of an open ticket) is counted as if the
// event happened now, which is the least it will be.
func (r *Retention) Schedule(f Facts, now time.Time) Schedule {
	var s Schedule
	if !r.Enabled() {
		return s
	}
	type candidate struct {
		rule  *Rule
		end   time.Time
		known bool
		key   time.Time
	}
	var ticketLevel []candidate
	fieldBest := map[string]candidate{}
	for _, ru := range r.InForce(now) {
		if !ru.matches(f) {
			continue
		}
		end, known := r.end(ru.class, f)
		key := end
		if !known {
			key = r.endFrom(ru.class, now)
		}
		c := candidate{rule: ru, end: end, known: known, key: key}
		if !ru.AttributeLevel() {
			ticketLevel = append(ticketLevel, c)
			continue
		}
		for _, field := range f.Fields {
			if !ru.fieldSet[field] && !ru.categories[r.categoryOf[field]] {
				continue
			}
			cur, ok := fieldBest[field]
			if !ok || c.key.After(cur.key) || (!c.known && cur.known && !c.key.Before(cur.key)) {
				fieldBest[field] = c
			}
		}
	}
	if len(ticketLevel) == 0 {
		return s
	}
	// Longest wins; on a tie an obligation beats a purpose, then file order.
	win := 0
	for i, c := range ticketLevel[1:] {
		w := ticketLevel[win]
		if c.key.After(w.key) || c.key.Equal(w.key) && c.rule.class.Obligation && !w.rule.class.Obligation {
			win = i + 1
		}
	}
	w := ticketLevel[win]
	s.Rule, s.RuleVersion, s.Class, s.Action = w.rule.ID, w.rule.Version(), w.rule.Class, w.rule.class.Action
	if w.known {
		due := w.end.UTC()
		latest := r.Tolerance.AddTo(due, r.Location()).UTC()
		s.Due, s.Latest = &due, &latest
	}
	var purposeEnd time.Time
	purposeKnown, purposes := true, 0
	for i, c := range ticketLevel {
		if i == win {
			continue
		}
		o := Outlasted{Rule: c.rule.ID, Class: c.rule.Class}
		if c.known {
			t := c.end.UTC()
			o.Due = &t
		}
		s.Outlasted = append(s.Outlasted, o)
	}
	for _, c := range ticketLevel {
		if c.rule.class.Obligation {
			continue
		}
		purposes++
		if !c.known {
			purposeKnown = false
		} else if c.end.After(purposeEnd) {
			purposeEnd = c.end
			s.RestrictRule = c.rule.ID
		}
	}
	if w.rule.class.Obligation && purposes > 0 && purposeKnown && s.Due != nil && purposeEnd.Before(*s.Due) {
		t := purposeEnd.UTC()
		s.RestrictAt = &t
	} else {
		s.RestrictRule = ""
	}
	fields := make([]string, 0, len(fieldBest))
	for field := range fieldBest {
		fields = append(fields, field)
	}
	sort.Strings(fields)
	for _, field := range fields {
		c := fieldBest[field]
		if !c.known || s.Due != nil && !c.end.Before(*s.Due) {
			continue // pending, or the ticket goes first
		}
		s.Fields = append(s.Fields, FieldExpiry{Field: field, Rule: c.rule.ID, RuleVersion: c.rule.Version(), Class: c.rule.Class, Due: c.end.UTC()})
	}
	return s
}

func (ru *Rule) matches(f Facts) bool {
	if len(ru.RequestTypes) > 0 && !contains(ru.RequestTypes, f.RequestType) {
		return false
	}
	if len(ru.Tags) == 0 {
		return true
	}
	for _, t := range f.Tags {
		if contains(ru.Tags, t) {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// end returns the end of a class's period for a ticket, and whether its
// start event has happened.
func (r *Retention) end(c *Class, f Facts) (time.Time, bool) {
	var at time.Time
	switch c.Start {
	case StartCollected, StartEndOfYearCollected, StartEndOfFiscalYearCollected:
		at = f.Created
	case StartLastActivity:
		at = f.LastActivity
		if at.IsZero() {
			at = f.Created
		}
	default:
		if f.Closed.IsZero() {
			return time.Time{}, false
		}
		at = f.Closed
	}
	return r.endFrom(c, at), true
}

// endFrom returns the end of a class's period whose start event happened
// at t.
func (r *Retention) endFrom(c *Class, t time.Time) time.Time {
	return c.Period.AddTo(r.StartOf(c.Start, t), r.Location()).UTC()
}

// StartOf returns when a period starts for an event at t: t itself, or
// the end of t's calendar or fiscal year in the legal time zone (midnight
// at the start of the next day).
func (r *Retention) StartOf(e StartEvent, t time.Time) time.Time {
	loc := r.Location()
	lt := t.In(loc)
	switch e {
	case StartEndOfYearCollected, StartEndOfYearClosed:
		return time.Date(lt.Year()+1, time.January, 1, 0, 0, 0, 0, loc)
	case StartEndOfFiscalYearCollected, StartEndOfFiscalYearClosed:
		m, d := r.fyMonth, r.fyDay
		if m == 0 {
			m, d = time.December, 31
		}
		// The fiscal year containing t ends on its first end date not
		// before t's date; the period starts the day after.
		end := time.Date(lt.Year(), m, d, 0, 0, 0, 0, loc)
		if end.Before(time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)) {
			end = time.Date(lt.Year()+1, m, d, 0, 0, 0, 0, loc)
		}
		return end.AddDate(0, 0, 1)
	}
	return t
}

// ValidTag reports whether s is a valid ticket tag: lower-case letters,
// digits, "-" and "_", 1–40 characters.
func ValidTag(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 'à' && c <= 'ÿ') {
			return false
		}
	}
	return true
}

// NormalizeTags lower-cases, trims, de-duplicates and sorts tags, and
// reports the first invalid one.
func NormalizeTags(in []string) ([]string, string) {
	seen := map[string]bool{}
	var out []string
	for _, t := range in {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || seen[t] {
			continue
		}
		if !ValidTag(t) {
			return nil, t
		}
		seen[t] = true
		out = append(out, t)
	}
	sort.Strings(out)
	return out, ""
}
