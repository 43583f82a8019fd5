package privacy

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Severity is how urgent a compliance finding is.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"   // processing lacks a legal requirement now
	SeverityWarning Severity = "warning" // needs attention soon, or an accepted risk
)

// Finding is an open item of the compliance status, e.g. an expired AVV.
// It names objects by id (and processors by their company name) and
// never carries personal data.
type Finding struct {
	Code     string   // stable, e.g. "processor.avv_expired"; see the Find… constants
	Severity Severity // SeverityError or SeverityWarning
	Object   string   // what it is about: "processor:<id>" or "integration:<id>"
	Text     Text     // what is wrong, in German and English
}

// Finding codes of the register of processors.
const (
	FindAVVMissing       = "processor.avv_missing"                     // error: no AVV signed
	FindAVVNotInForce    = "processor.avv_not_in_force"                // error: signed for a day still to come
	FindAVVExpired       = "processor.avv_expired"                     // error: its last day has passed
	FindAVVExpiring      = "processor.avv_expiring"                    // warning: ends within ExpiryWarning
	FindTransfer         = "processor.transfer_without_safeguard"      // warning: third country, no transfer mechanism
	FindSubTransfer      = "processor.sub_processor_without_safeguard" // warning: a sub-processor in a third country without one
	FindUnknownProcessor = "integration.unknown_processor"             // error: the integration names no registered processor
	FindNoValidAVV       = "integration.avv_invalid"                   // error: its processor has no AVV in force
	FindOverride         = "integration.avv_override"                  // warning: runs under an override instead
)

// ProcessorObject names a processor as a finding's object.
func ProcessorObject(id string) string { return "processor:" + id }

// IntegrationObject names an integration as a finding's object.
func IntegrationObject(id string) string { return "integration:" + id }

// Findings returns the open items of the register at now, with days
// counted in loc (the organisation's time zone): errors first, then
// warnings, each sorted by object and code. Disabled integrations send
// nothing and raise nothing.
func (r Register) Findings(now time.Time, loc *time.Location) []Finding {
	var out []Finding
	add := func(code string, sev Severity, object, de, en string) {
		out = append(out, Finding{Code: code, Severity: sev, Object: object, Text: Text{DE: de, EN: en}})
	}
	for i := range r.Processors {
		p := &r.Processors[i]
		obj := ProcessorObject(p.ID)
		who := p.ID + " (" + p.Provider + ")"
		switch state, left := p.AVVState(now, loc); state {
		case AVVMissing:
			add(FindAVVMissing, SeverityError, obj,
				fmt.Sprintf("Für den Auftragsverarbeiter %s ist kein unterzeichneter AVV (Art. 28 DSGVO) eingetragen.", who),
				fmt.Sprintf("No signed AVV (processing agreement, Art. 28 GDPR) is recorded for the processor %s.", who))
		case AVVNotInForce:
			add(FindAVVNotInForce, SeverityError, obj,
				fmt.Sprintf("Der AVV mit %s gilt erst ab %s.", who, p.AVV.SignedOn),
				fmt.Sprintf("The AVV with %s takes effect only on %s.", who, p.AVV.SignedOn))
		case AVVExpired:
			add(FindAVVExpired, SeverityError, obj,
				fmt.Sprintf("Der AVV mit %s galt bis %s und ist abgelaufen.", who, p.AVV.ValidUntil),
				fmt.Sprintf("The AVV with %s was valid until %s and has expired.", who, p.AVV.ValidUntil))
		case AVVExpiring:
			days := int(math.Ceil(left.Hours() / 24))
			add(FindAVVExpiring, SeverityWarning, obj,
				fmt.Sprintf("Der AVV mit %s gilt nur noch bis %s (%s).", who, p.AVV.ValidUntil, plural(days, "noch 1 Tag", "noch %d Tage")),
				fmt.Sprintf("The AVV with %s is valid only until %s (%s).", who, p.AVV.ValidUntil, plural(days, "1 day left", "%d days left")))
		}
		if p.CountryStatus(now) == StatusThirdCountry && p.Transfer == nil {
			add(FindTransfer, SeverityWarning, obj,
				fmt.Sprintf("%s verarbeitet in %s, einem Drittland ohne Angemessenheitsbeschluss, und es ist kein Übermittlungsmechanismus (Art. 44 ff. DSGVO) eingetragen.", who, p.Country),
				fmt.Sprintf("%s processes in %s, a third country without an adequacy decision, and no transfer mechanism (Art. 44 ff. GDPR) is recorded.", who, p.Country))
		}
		for _, s := range p.SubProcessors {
			if StatusOf(s.Country, s.DPFCertified, now) == StatusThirdCountry && s.Transfer == nil {
				add(FindSubTransfer, SeverityWarning, obj,
					fmt.Sprintf("Der Unterauftragsverarbeiter „%s“ von %s sitzt in %s, einem Drittland ohne Angemessenheitsbeschluss, und es ist kein Übermittlungsmechanismus eingetragen.", s.Name, who, s.Country),
					fmt.Sprintf("The sub-processor “%s” of %s is in %s, a third country without an adequacy decision, and no transfer mechanism is recorded.", s.Name, who, s.Country))
			}
		}
	}
	for i := range r.Integrations {
		in := &r.Integrations[i]
		if !in.Enabled {
			continue
		}
		obj := IntegrationObject(in.ID)
		var code, de, en string
		if p, ok := r.Processor(in.Processor); !ok {
			code = FindUnknownProcessor
			de = fmt.Sprintf("Die Integration %s nennt den Auftragsverarbeiter %s, der nicht im Verzeichnis steht.", in.ID, in.Processor)
			en = fmt.Sprintf("The integration %s names the processor %s, which is not in the register.", in.ID, in.Processor)
		} else if state, _ := p.AVVState(now, loc); !state.InForce() {
			code = FindNoValidAVV
			de = fmt.Sprintf("Die Integration %s sendet Daten an %s (%s), für den kein gültiger AVV vorliegt.", in.ID, p.ID, p.Provider)
			en = fmt.Sprintf("The integration %s sends data to %s (%s), which has no valid AVV.", in.ID, p.ID, p.Provider)
		} else {
			continue
		}
		if in.overrideInForce(now, loc) {
			until := in.Override.Until
			add(FindOverride, SeverityWarning, obj,
				fmt.Sprintf("Die Integration %s läuft mit einer Ausnahme%s ohne gültigen AVV für %s; die Begründung steht in der Richtlinie, ihre Anwendung im Audit-Protokoll.", in.ID, optional(until, " bis %s"), in.Processor),
				fmt.Sprintf("The integration %s runs under an override%s without a valid AVV for %s; the reason is in the policy, its application in the audit trail.", in.ID, optional(until, " until %s"), in.Processor))
			continue
		}
		add(code, SeverityError, obj, de+refusal.DE, en+refusal.EN)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Severity != b.Severity {
			return a.Severity == SeverityError
		}
		if a.Object != b.Object {
			return a.Object < b.Object
		}
		return a.Code < b.Code
	})
	return out
}

// refusal ends the text of an integration's error finding.
var refusal = Text{
	DE: " Eine Richtlinie, die sie aktiviert, wird abgelehnt, bis der AVV eingetragen ist oder eine begründete Ausnahme (avv_override) vorliegt.",
	EN: " A policy that enables it is refused until the AVV is recorded or an override with a reason (avv_override) is given.",
}

// Refusals returns the findings that forbid applying a policy: enabled
// integrations whose processor is unknown or has no AVV in force, without
// an override in force.
func Refusals(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Code == FindUnknownProcessor || f.Code == FindNoValidAVV {
			out = append(out, f)
		}
	}
	return out
}

// Overrides returns the integrations that run under an override at now:
// what applying the policy records in the audit trail.
func (r Register) Overrides(now time.Time, loc *time.Location) []Integration {
	var out []Integration
	for _, f := range r.Findings(now, loc) {
		if f.Code != FindOverride {
			continue
		}
		id := strings.TrimPrefix(f.Object, "integration:")
		for _, in := range r.Integrations {
			if in.ID == id {
				out = append(out, in)
			}
		}
	}
	return out
}

// plural picks the form for n: one is used for 1, else many with n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}

// optional formats s into format when s is not empty.
func optional(s, format string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf(format, s)
}
