package api

import (
	"time"

	"frist/internal/policy"
	"frist/internal/privacy"
)

// processorJSON is an entry of the register of processors, with its
// country's status under GDPR Chapter V and its AVV's state now.
type processorJSON struct {
	ID            string                `json:"id"`
	Provider      string                `json:"provider"`
	Service       privacy.Text          `json:"service"`
	Categories    []privacy.Category    `json:"categories"`
	Country       string                `json:"country"`
	CountryStatus privacy.CountryStatus `json:"country_status"` // eu_eea, switzerland, adequacy or third_country
	DPFCertified  bool                  `json:"dpf_certified"`
	AVV           avvJSON               `json:"avv"`
	Transfer      *transferJSON         `json:"transfer"` // null: none recorded
	SubProcessors []subProcessorJSON    `json:"sub_processors"`
}

// avvJSON is a processor's processing agreement.
type avvJSON struct {
	SignedOn   *string          `json:"signed_on"`   // YYYY-MM-DD; null: none signed
	ValidUntil *string          `json:"valid_until"` // last day; null: open-ended
	Document   string           `json:"document"`
	State      privacy.AVVState `json:"state"` // valid, expiring, expired, missing or not_in_force
}

// transferJSON is the safeguard of a transfer to a third country.
type transferJSON struct {
	Mechanism privacy.TransferMechanism `json:"mechanism"`
	Note      string                    `json:"note"`
}

// subProcessorJSON is a further processor a processor engages.
type subProcessorJSON struct {
	Name          string                `json:"name"`
	Country       string                `json:"country"`
	CountryStatus privacy.CountryStatus `json:"country_status"`
	Service       string                `json:"service"`
	DPFCertified  bool                  `json:"dpf_certified"`
	Transfer      *transferJSON         `json:"transfer"`
}

func newProcessorJSON(p *policy.Policy, x *privacy.Processor, now time.Time) processorJSON {
	state, _ := x.AVVState(now, p.Location())
	out := processorJSON{ID: x.ID, Provider: x.Provider, Service: x.Service, Categories: x.Categories, Country: x.Country,
		CountryStatus: x.CountryStatus(now), DPFCertified: x.DPFCertified, Transfer: newTransferJSON(x.Transfer),
		AVV:           avvJSON{SignedOn: maybeString(x.AVV.SignedOn), ValidUntil: maybeString(x.AVV.ValidUntil), Document: x.AVV.Document, State: state},
		SubProcessors: []subProcessorJSON{}}
	if out.Categories == nil {
		out.Categories = []privacy.Category{}
	}
	for _, s := range x.SubProcessors {
		out.SubProcessors = append(out.SubProcessors, subProcessorJSON{Name: s.Name, Country: s.Country, CountryStatus: privacy.StatusOf(s.Country, s.DPFCertified, now),
			Service: s.Service, DPFCertified: s.DPFCertified, Transfer: newTransferJSON(s.Transfer)})
	}
	return out
}

func newTransferJSON(t *privacy.Transfer) *transferJSON {
	if t == nil {
		return nil
	}
	return &transferJSON{Mechanism: t.Mechanism, Note: t.Note}
}

func maybeString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// processorInput is the body of POST /api/v1/processors and PUT
// /api/v1/processors/{id}: the whole entry. Dates are YYYY-MM-DD; a
// missing or null signed_on records that no AVV is signed, a missing or
// null valid_until an open-ended one.
type processorInput struct {
	ID            string              `json:"id"` // on PUT: empty or the id of the path
	Provider      string              `json:"provider"`
	Service       privacy.Text        `json:"service"`
	Categories    []privacy.Category  `json:"categories"`
	Country       string              `json:"country"`
	DPFCertified  bool                `json:"dpf_certified"`
	AVV           avvInput            `json:"avv"`
	Transfer      *transferInput      `json:"transfer"`
	SubProcessors []subProcessorInput `json:"sub_processors"`
}

type avvInput struct {
	SignedOn   *string `json:"signed_on"`
	ValidUntil *string `json:"valid_until"`
	Document   string  `json:"document"`
}

type transferInput struct {
	Mechanism privacy.TransferMechanism `json:"mechanism"`
	Note      string                    `json:"note"`
}

type subProcessorInput struct {
	Name         string         `json:"name"`
	Country      string         `json:"country"`
	Service      string         `json:"service"`
	DPFCertified bool           `json:"dpf_certified"`
	Transfer     *transferInput `json:"transfer"`
}

// processor returns the entry the input describes.
func (in processorInput) processor() privacy.Processor {
	p := privacy.Processor{ID: in.ID, Provider: in.Provider, Service: in.Service, Categories: in.Categories, Country: in.Country,
		DPFCertified: in.DPFCertified, Transfer: in.Transfer.transfer(), AVV: privacy.AVV{Document: in.AVV.Document}}
	if in.AVV.SignedOn != nil {
		p.AVV.SignedOn = *in.AVV.SignedOn
	}
	if in.AVV.ValidUntil != nil {
		p.AVV.ValidUntil = *in.AVV.ValidUntil
	}
	for _, s := range in.SubProcessors {
		p.SubProcessors = append(p.SubProcessors, privacy.SubProcessor{Name: s.Name, Country: s.Country, Service: s.Service, DPFCertified: s.DPFCertified, Transfer: s.Transfer.transfer()})
	}
	return p
}

func (t *transferInput) transfer() *privacy.Transfer {
	if t == nil {
		return nil
	}
	return &privacy.Transfer{Mechanism: t.Mechanism, Note: t.Note}
}

// integrationJSON is an outbound integration with its state now.
type integrationJSON struct {
	ID          string                  `json:"id"`
	Kind        privacy.IntegrationKind `json:"kind"`
	Host        string                  `json:"host"`
	Processor   string                  `json:"processor"`
	Enabled     bool                    `json:"enabled"`
	AVVOverride *overrideJSON           `json:"avv_override"` // null: none
	// State is disabled, ok, unknown_processor, avv_invalid (both refused
	// when a policy is applied) or override.
	State string `json:"state"`
}

// overrideJSON lets an enabled integration run without a valid AVV.
type overrideJSON struct {
	Reason string  `json:"reason"`
	Until  *string `json:"until"` // last day; null: until removed
}

// findingJSON is an open item of the compliance status.
type findingJSON struct {
	Code     string           `json:"code"`     // stable, e.g. processor.avv_expired
	Severity privacy.Severity `json:"severity"` // error or warning
	Object   string           `json:"object"`   // processor:<id>, integration:<id> or retention:overdue
	Message  string           `json:"message"`  // in the language of Accept-Language
	Text     privacy.Text     `json:"text"`     // in German and English
}

// complianceJSON is the compliance status: "ok" when nothing is open.
type complianceJSON struct {
	Status   string        `json:"status"` // ok or open
	At       string        `json:"at"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Items    []findingJSON `json:"items"`
}
