package privacy

import (
	"fmt"
	"strings"
	"time"

	"frist/internal/period"
)

// DescribePeriod renders a period in words, e.g. "6 Jahre" / "6 years".
func DescribePeriod(p period.Period, lang string) string {
	type unit struct {
		n             int
		de1, deN, en1 string
	}
	units := []unit{
		{p.Years, "Jahr", "Jahre", "year"}, {p.Months, "Monat", "Monate", "month"},
		{p.Weeks, "Woche", "Wochen", "week"}, {p.Days, "Tag", "Tage", "day"},
		{p.Hours, "Stunde", "Stunden", "hour"}, {p.Minutes, "Minute", "Minuten", "minute"},
		{p.Seconds, "Sekunde", "Sekunden", "second"},
	}
	var parts []string
	for _, u := range units {
		if u.n == 0 {
			continue
		}
		switch {
		case lang == "en" && u.n == 1:
			parts = append(parts, "1 "+u.en1)
		case lang == "en":
			parts = append(parts, fmt.Sprintf("%d %ss", u.n, u.en1))
		case u.n == 1:
			parts = append(parts, "1 "+u.de1)
		default:
			parts = append(parts, fmt.Sprintf("%d %s", u.n, u.deN))
		}
	}
	and := " und "
	if lang == "en" {
		and = " and "
	}
	if len(parts) > 1 {
		return strings.Join(parts[:len(parts)-1], ", ") + and + parts[len(parts)-1]
	}
	return strings.Join(parts, "")
}

var startWords = map[StartEvent]Text{
	StartCollected:                {DE: "nach Eingang", EN: "after receipt"},
	StartClosed:                   {DE: "nach Abschluss", EN: "after closure"},
	StartLastActivity:             {DE: "nach der letzten Aktivität", EN: "after the last activity"},
	StartEndOfYearCollected:       {DE: "ab Ende des Kalenderjahres des Eingangs", EN: "from the end of the calendar year of receipt"},
	StartEndOfYearClosed:          {DE: "ab Ende des Kalenderjahres des Abschlusses", EN: "from the end of the calendar year of closure"},
	StartEndOfFiscalYearCollected: {DE: "ab Ende des Geschäftsjahres des Eingangs", EN: "from the end of the fiscal year of receipt"},
	StartEndOfFiscalYearClosed:    {DE: "ab Ende des Geschäftsjahres des Abschlusses", EN: "from the end of the fiscal year of closure"},
}

// DescribeStart renders a start event in words.
func DescribeStart(e StartEvent, lang string) string { return startWords[e].In(lang) }

// Describe renders a class's rule in words, e.g. "6 Jahre ab Ende des
// Kalenderjahres des Eingangs, dann löschen".
func (c *Class) Describe(lang string) string {
	act := map[RetentionAction]Text{
		ActionDelete:    {DE: "dann löschen", EN: "then delete"},
		ActionAnonymise: {DE: "dann anonymisieren", EN: "then anonymise"},
	}[c.Action]
	return DescribePeriod(c.Period, lang) + " " + DescribeStart(c.Start, lang) + ", " + act.In(lang)
}

// ActionName names a retention action.
func ActionName(a RetentionAction, lang string) string {
	return map[RetentionAction]Text{
		ActionDelete:       {DE: "Löschen", EN: "Delete"},
		ActionAnonymise:    {DE: "Anonymisieren", EN: "Anonymise"},
		ActionRestrict:     {DE: "Sperren", EN: "Restrict"},
		ActionExpireFields: {DE: "Felder löschen", EN: "Delete fields"},
	}[a].In(lang)
}

// RuleName returns the name of the rule with the id in the language,
// falling back to the id (for rules no longer in the policy).
func (r *Retention) RuleName(id, lang string) string {
	for i := range r.Rules {
		if r.Rules[i].ID == id {
			return r.Rules[i].Name.In(lang)
		}
	}
	return id
}

// FormatDate formats a deletion date as a day in the legal time zone.
func (r *Retention) FormatDate(t time.Time) string { return t.In(r.Location()).Format("2006-01-02") }

// Explain says in one or two sentences when and why a ticket is deleted
// (or anonymised), e.g. `Wird am 2027-04-02 gelöscht nach Regel „Support
// standard“ (90 Tage nach Abschluss, dann löschen).`
func (r *Retention) Explain(s Schedule, held bool, lang string) string {
	en := lang == "en"
	if s.IsZero() {
		if en {
			return "No retention rule applies; the ticket is kept until a rule is configured."
		}
		return "Keine Aufbewahrungsregel greift; das Ticket bleibt, bis eine Regel konfiguriert ist."
	}
	c, _ := r.Class(s.Class)
	rule := r.RuleName(s.Rule, lang)
	how := ""
	if c != nil {
		how = c.Describe(lang)
	}
	var b strings.Builder
	verbDE, verbEN := "gelöscht", "deleted"
	if s.Action == ActionAnonymise {
		verbDE, verbEN = "anonymisiert", "anonymised"
	}
	switch {
	case s.Due == nil && en:
		fmt.Fprintf(&b, "To be %s by rule “%s” (%s); the date is set when the period starts.", verbEN, rule, how)
	case s.Due == nil:
		fmt.Fprintf(&b, "Wird %s nach Regel „%s“ (%s); das Datum steht fest, sobald die Frist beginnt.", verbDE, rule, how)
	case en:
		fmt.Fprintf(&b, "To be %s on %s by rule “%s” (%s).", verbEN, r.FormatDate(*s.Due), rule, how)
	default:
		fmt.Fprintf(&b, "Wird am %s %s nach Regel „%s“ (%s).", r.FormatDate(*s.Due), verbDE, rule, how)
	}
	if len(s.Outlasted) > 0 {
		var names []string
		for _, o := range s.Outlasted {
			names = append(names, r.RuleName(o.Rule, lang))
		}
		if en {
			fmt.Fprintf(&b, " It outlasts %s: the longest obligation wins.", quoteList(names, true))
		} else {
			fmt.Fprintf(&b, " Sie überdauert %s: die längste Pflicht gilt.", quoteList(names, false))
		}
	}
	if s.RestrictAt != nil {
		if en {
			fmt.Fprintf(&b, " From %s its purpose (“%s”) has ended: restricted, visible to privacy officers only.", r.FormatDate(*s.RestrictAt), r.RuleName(s.RestrictRule, lang))
		} else {
			fmt.Fprintf(&b, " Ab %s ist der Zweck („%s“) erfüllt: gesperrt, nur noch für Datenschutzbeauftragte sichtbar.", r.FormatDate(*s.RestrictAt), r.RuleName(s.RestrictRule, lang))
		}
	}
	if held {
		if en {
			b.WriteString(" A legal hold suspends the deletion.")
		} else {
			b.WriteString(" Eine Aufbewahrungssperre (Legal Hold) setzt die Löschung aus.")
		}
	}
	return b.String()
}

func quoteList(xs []string, en bool) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		if en {
			q[i] = "“" + x + "”"
		} else {
			q[i] = "„" + x + "“"
		}
	}
	return strings.Join(q, ", ")
}
