package privacy

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Processor is an entry of the register of processors: a provider that
// processes personal data on the organisation's behalf (GDPR Art. 28,
// Auftragsverarbeiter), e.g. the mail relay that delivers Frist's emails.
// Whoever receives personal data from Frist must be registered here with
// a signed processing agreement (AVV); see Register.Findings.
type Processor struct {
	ID       string `yaml:"id" json:"id"`             // stable key, e.g. "beispiel_mail"
	Provider string `yaml:"provider" json:"provider"` // the company, e.g. "Beispiel Mail GmbH"
	Service  Text   `yaml:"service" json:"service"`   // what it does for the organisation, in German and English
	// Categories are the data categories it receives.
	Categories []Category `yaml:"categories" json:"categories"`
	// Country is where it processes the data, ISO 3166-1 alpha-2 ("DE").
	Country string `yaml:"country" json:"country"`
	// DPFCertified marks a US provider certified under the EU-US Data
	// Privacy Framework, which the adequacy decision (EU) 2023/1795
	// covers; it is refused for other countries.
	DPFCertified bool `yaml:"dpf_certified,omitempty" json:"dpf_certified"`
	AVV          AVV  `yaml:"avv,omitempty" json:"avv"`
	// Transfer is the safeguard of a transfer to a third country (GDPR
	// Art. 46 ff.); nil when none is recorded.
	Transfer      *Transfer      `yaml:"transfer,omitempty" json:"transfer"`
	SubProcessors []SubProcessor `yaml:"sub_processors,omitempty" json:"sub_processors"`
}

// AVV is the processing agreement (Auftragsverarbeitungsvertrag, GDPR Art.
// 28(3)) with a processor.
type AVV struct {
	SignedOn string `yaml:"signed_on,omitempty" json:"signed_on"` // YYYY-MM-DD; empty: none signed
	// ValidUntil is the last day the agreement is in force (YYYY-MM-DD);
	// empty: open-ended, as most are (they end with the main contract).
	ValidUntil string `yaml:"valid_until,omitempty" json:"valid_until"`
	// Document says where the signed agreement is kept, e.g. a file
	// number in the document management system. Never the document.
	Document string `yaml:"document,omitempty" json:"document"`
}

// SubProcessor is a further processor the processor engages (GDPR Art.
// 28(2), (4)), e.g. the data centre of a mail relay.
type SubProcessor struct {
	Name         string    `yaml:"name" json:"name"`
	Country      string    `yaml:"country" json:"country"` // ISO 3166-1 alpha-2
	Service      string    `yaml:"service" json:"service"` // what it does, e.g. "Rechenzentrum / data centre"
	DPFCertified bool      `yaml:"dpf_certified,omitempty" json:"dpf_certified"`
	Transfer     *Transfer `yaml:"transfer,omitempty" json:"transfer"`
}

// TransferMechanism is the safeguard of a transfer to a third country.
type TransferMechanism string

// Transfer mechanisms (GDPR Art. 46, 47, 49).
const (
	TransferSCC          TransferMechanism = "scc"              // standard contractual clauses, Art. 46(2)(c)
	TransferBCR          TransferMechanism = "bcr"              // binding corporate rules, Art. 47
	TransferCodeConduct  TransferMechanism = "code_of_conduct"  // approved code of conduct, Art. 46(2)(e)
	TransferCertificate  TransferMechanism = "certification"    // approved certification, Art. 46(2)(f)
	TransferAdHocClauses TransferMechanism = "ad_hoc_clauses"   // clauses authorised by the authority, Art. 46(3)(a)
	TransferDerogation   TransferMechanism = "derogation_art49" // a derogation of Art. 49(1); the note names which
)

// TransferMechanisms lists the transfer mechanisms.
var TransferMechanisms = []TransferMechanism{TransferSCC, TransferBCR, TransferCodeConduct, TransferCertificate, TransferAdHocClauses, TransferDerogation}

// Valid reports whether m is a known mechanism.
func (m TransferMechanism) Valid() bool { return slices.Contains(TransferMechanisms, m) }

// Describe names the mechanism in German ("de") or English.
func (m TransferMechanism) Describe(lang string) string {
	t, ok := map[TransferMechanism]Text{
		TransferSCC:          {DE: "Standardvertragsklauseln (Art. 46 Abs. 2 lit. c DSGVO)", EN: "standard contractual clauses (Art. 46(2)(c) GDPR)"},
		TransferBCR:          {DE: "verbindliche interne Datenschutzvorschriften (Art. 47 DSGVO)", EN: "binding corporate rules (Art. 47 GDPR)"},
		TransferCodeConduct:  {DE: "genehmigte Verhaltensregeln (Art. 46 Abs. 2 lit. e DSGVO)", EN: "approved code of conduct (Art. 46(2)(e) GDPR)"},
		TransferCertificate:  {DE: "genehmigter Zertifizierungsmechanismus (Art. 46 Abs. 2 lit. f DSGVO)", EN: "approved certification mechanism (Art. 46(2)(f) GDPR)"},
		TransferAdHocClauses: {DE: "genehmigte Vertragsklauseln (Art. 46 Abs. 3 lit. a DSGVO)", EN: "authorised contractual clauses (Art. 46(3)(a) GDPR)"},
		TransferDerogation:   {DE: "Ausnahme nach Art. 49 Abs. 1 DSGVO", EN: "derogation under Art. 49(1) GDPR"},
	}[m]
	if !ok {
		return string(m)
	}
	return t.In(lang)
}

// Transfer records the safeguard of a transfer to a third country.
type Transfer struct {
	Mechanism TransferMechanism `yaml:"mechanism" json:"mechanism"`
	// Note says more, e.g. which SCC module, or which derogation of
	// Art. 49(1) applies (required for derogation_art49).
	Note string `yaml:"note,omitempty" json:"note"`
}

// IntegrationKind is a kind of outbound integration: a way personal data
// leaves the machine.
type IntegrationKind string

// Integration kinds.
const (
	IntegrationSMTPRelay     IntegrationKind = "smtp_relay"     // outgoing mail through a provider's relay
	IntegrationObjectStorage IntegrationKind = "object_storage" // attachments in S3-compatible storage
	IntegrationWebhook       IntegrationKind = "webhook"        // events posted to another system
)

// IntegrationKinds lists the integration kinds.
var IntegrationKinds = []IntegrationKind{IntegrationSMTPRelay, IntegrationObjectStorage, IntegrationWebhook}

// Valid reports whether k is a known kind.
func (k IntegrationKind) Valid() bool { return slices.Contains(IntegrationKinds, k) }

// Describe names the kind in German ("de") or English.
func (k IntegrationKind) Describe(lang string) string {
	t, ok := map[IntegrationKind]Text{
		IntegrationSMTPRelay:     {DE: "E-Mail-Versand (SMTP-Relay)", EN: "outgoing mail (SMTP relay)"},
		IntegrationObjectStorage: {DE: "Objektspeicher für Anhänge", EN: "object storage for attachments"},
		IntegrationWebhook:       {DE: "Webhook", EN: "webhook"},
	}[k]
	if !ok {
		return string(k)
	}
	return t.In(lang)
}

// Integration is an outbound integration an operator declares: every
// connection that sends personal data off the machine names the processor
// that receives it. An enabled integration whose processor is unknown or
// has no valid AVV is refused when the policy is applied, unless an
// Override records why it may run anyway.
type Integration struct {
	ID        string          `yaml:"id" json:"id"`
	Kind      IntegrationKind `yaml:"kind" json:"kind"`
	Host      string          `yaml:"host" json:"host"` // the endpoint's host name, with an optional :port
	Processor string          `yaml:"processor" json:"processor"`
	Enabled   bool            `yaml:"enabled" json:"enabled"`
	Override  *AVVOverride    `yaml:"avv_override,omitempty" json:"avv_override"`
}

// AVVOverride lets an enabled integration run although its processor is
// unknown or has no valid AVV. The administrator who applies the policy
// answers for it: the audit trail records each application that relies
// on it, and the compliance status shows it as a warning.
type AVVOverride struct {
	Reason string `yaml:"reason" json:"reason"`
	// Until is the last day the override holds (YYYY-MM-DD); empty: until
	// it is removed.
	Until string `yaml:"until,omitempty" json:"until"`
}

// Register is the register of processors and the outbound integrations
// that send data to them.
type Register struct {
	Processors   []Processor
	Integrations []Integration
}

// Processor returns the processor with the id.
func (r Register) Processor(id string) (*Processor, bool) {
	for i := range r.Processors {
		if r.Processors[i].ID == id {
			return &r.Processors[i], true
		}
	}
	return nil, false
}

// Problem is one invalid field of a processor or an integration: its path
// ("avv.valid_until", "sub_processors.1.country") and a message key that
// the web and API layers translate. It never holds the value.
type Problem struct {
	Field string
	Key   string
}

// Problems is the list of a validation's problems; as an error it lists
// them all in English.
type Problems []Problem

// Error implements error.
func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Field + ": " + ProblemText(p.Key)
	}
	return strings.Join(parts, "; ")
}

// Problem message keys of Processor.Validate and Integration.Validate,
// besides ErrRequired, ErrTooLong, ErrDate, ErrOption and ErrControl.
const (
	ErrID            = "invalid_id"            // not lower-case letters, digits and _
	ErrIDTaken       = "id_taken"              // another processor or integration has it
	ErrCountry       = "invalid_country"       // not an ISO 3166-1 alpha-2 code
	ErrCountryUK     = "country_uk"            // UK given: the ISO code is GB
	ErrDPFNotUS      = "dpf_us_only"           // dpf_certified outside the US
	ErrBeforeSigned  = "before_signed"         // valid_until before signed_on
	ErrUntilUnsigned = "until_without_signing" // valid_until without signed_on
	ErrNoteRequired  = "note_required"         // derogation_art49 without the note naming it
	ErrHost          = "invalid_host"          // not a host name or address with optional port
	ErrDuplicate     = "duplicate"             // listed twice
)

// problemTexts are the English texts of the problem keys, for the policy
// file's error messages; fault has them in German and English for pages
// and the API (a test holds the two together).
var problemTexts = map[string]string{
	ErrRequired:      "is required",
	ErrTooLong:       "is too long",
	ErrDate:          "is not a date as YYYY-MM-DD",
	ErrOption:        "is not one of the values offered",
	ErrControl:       "contains characters that are not allowed",
	ErrID:            "must start with a lower-case letter and hold only lower-case letters, digits and _",
	ErrIDTaken:       "is taken by another entry",
	ErrCountry:       "is not an ISO 3166-1 alpha-2 country code such as DE, AT or CH",
	ErrCountryUK:     "the ISO code of the United Kingdom is GB",
	ErrDPFNotUS:      "applies to providers in the US only",
	ErrBeforeSigned:  "lies before the day the AVV was signed",
	ErrUntilUnsigned: "needs the day the AVV was signed",
	ErrNoteRequired:  "must name the derogation of Art. 49(1) GDPR relied on",
	ErrHost:          "is not a host name or address with an optional :port (no scheme, no path)",
	ErrDuplicate:     "is listed twice",
}

// ProblemKeys lists the message keys Validate may return.
func ProblemKeys() []string {
	keys := make([]string, 0, len(problemTexts))
	for k := range problemTexts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ProblemText returns the English text of a problem key.
func ProblemText(key string) string {
	if t, ok := problemTexts[key]; ok {
		return t
	}
	return key
}

// Limits of the register's texts.
const (
	maxName   = 200  // provider, service, document, sub-processor fields
	maxReason = 1000 // override reason, transfer note
)

// checkText appends a problem when s is too long or holds control
// characters (newlines only where multiline).
func checkText(ps *Problems, field, s string, max int, multiline bool) {
	if utf8.RuneCountInString(s) > max {
		*ps = append(*ps, Problem{field, ErrTooLong})
		return
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			*ps = append(*ps, Problem{field, ErrControl})
			return
		}
	}
}

// required appends a problem when s is blank, else checks it as text.
func required(ps *Problems, field, s string, max int) {
	if strings.TrimSpace(s) == "" {
		*ps = append(*ps, Problem{field, ErrRequired})
		return
	}
	checkText(ps, field, s, max, false)
}

func checkCountry(ps *Problems, field, c string) {
	switch {
	case c == "":
		*ps = append(*ps, Problem{field, ErrRequired})
	case c == "UK":
		*ps = append(*ps, Problem{field, ErrCountryUK})
	case !ValidCountry(c):
		*ps = append(*ps, Problem{field, ErrCountry})
	}
}

// parseDay parses YYYY-MM-DD.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func checkTransfer(ps *Problems, field string, t *Transfer) {
	if t == nil {
		return
	}
	switch {
	case t.Mechanism == "":
		*ps = append(*ps, Problem{field + ".mechanism", ErrRequired})
	case !t.Mechanism.Valid():
		*ps = append(*ps, Problem{field + ".mechanism", ErrOption})
	case t.Mechanism == TransferDerogation && strings.TrimSpace(t.Note) == "":
		*ps = append(*ps, Problem{field + ".note", ErrNoteRequired})
	}
	checkText(ps, field+".note", t.Note, maxReason, true)
}

// Validate checks the processor on its own (Register.Validate adds the
// uniqueness of ids) and returns its problems, nil when there are none.
// Whether its AVV is in force is no validation matter but a finding
// (Register.Findings): a processor may be registered before its AVV is
// signed.
func (p *Processor) Validate() Problems {
	var ps Problems
	switch {
	case p.ID == "":
		ps = append(ps, Problem{"id", ErrRequired})
	case !validID(p.ID):
		ps = append(ps, Problem{"id", ErrID})
	}
	required(&ps, "provider", p.Provider, maxName)
	required(&ps, "service.de", p.Service.DE, maxName)
	required(&ps, "service.en", p.Service.EN, maxName)
	if len(p.Categories) == 0 {
		ps = append(ps, Problem{"categories", ErrRequired})
	}
	for i, c := range p.Categories {
		if !c.Valid() {
			ps = append(ps, Problem{"categories", ErrOption})
			break
		}
		if slices.Contains(p.Categories[:i], c) {
			ps = append(ps, Problem{"categories", ErrDuplicate})
			break
		}
	}
	checkCountry(&ps, "country", p.Country)
	if p.DPFCertified && p.Country != "US" && p.Country != "" {
		ps = append(ps, Problem{"dpf_certified", ErrDPFNotUS})
	}
	signed, signedOK := parseDay(p.AVV.SignedOn)
	if p.AVV.SignedOn != "" && !signedOK {
		ps = append(ps, Problem{"avv.signed_on", ErrDate})
	}
	if p.AVV.ValidUntil != "" {
		until, ok := parseDay(p.AVV.ValidUntil)
		switch {
		case !ok:
			ps = append(ps, Problem{"avv.valid_until", ErrDate})
		case p.AVV.SignedOn == "":
			ps = append(ps, Problem{"avv.valid_until", ErrUntilUnsigned})
		case signedOK && until.Before(signed):
			ps = append(ps, Problem{"avv.valid_until", ErrBeforeSigned})
		}
	}
	checkText(&ps, "avv.document", p.AVV.Document, maxName, false)
	checkTransfer(&ps, "transfer", p.Transfer)
	for i, s := range p.SubProcessors {
		at := "sub_processors." + strconv.Itoa(i)
		required(&ps, at+".name", s.Name, maxName)
		checkCountry(&ps, at+".country", s.Country)
		required(&ps, at+".service", s.Service, maxName)
		if s.DPFCertified && s.Country != "US" && s.Country != "" {
			ps = append(ps, Problem{at + ".dpf_certified", ErrDPFNotUS})
		}
		checkTransfer(&ps, at+".transfer", s.Transfer)
	}
	return ps
}

// hostRE matches a DNS host name: labels of letters, digits and hyphens.
var hostRE = regexp.MustCompile(`^(?i:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.(?i:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?))*\.?$`)

// validHost reports whether s is a host name or IP address with an
// optional port, as an endpoint's host: no scheme, no path.
func validHost(s string) bool {
	host := s
	if h, port, err := net.SplitHostPort(s); err == nil {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return false
		}
		host = h
	}
	if len(host) == 0 || len(host) > 253 {
		return false
	}
	if net.ParseIP(host) != nil {
		return true
	}
	return hostRE.MatchString(host)
}

// Validate checks the integration on its own: whether its processor
// exists and has a valid AVV is Register.Findings's business, since an
// override may cover either.
func (in *Integration) Validate() Problems {
	var ps Problems
	switch {
	case in.ID == "":
		ps = append(ps, Problem{"id", ErrRequired})
	case !validID(in.ID):
		ps = append(ps, Problem{"id", ErrID})
	}
	switch {
	case in.Kind == "":
		ps = append(ps, Problem{"kind", ErrRequired})
	case !in.Kind.Valid():
		ps = append(ps, Problem{"kind", ErrOption})
	}
	switch {
	case in.Host == "":
		ps = append(ps, Problem{"host", ErrRequired})
	case !validHost(in.Host):
		ps = append(ps, Problem{"host", ErrHost})
	}
	switch {
	case in.Processor == "":
		ps = append(ps, Problem{"processor", ErrRequired})
	case !validID(in.Processor):
		ps = append(ps, Problem{"processor", ErrID})
	}
	if o := in.Override; o != nil {
		required(&ps, "avv_override.reason", o.Reason, maxReason)
		if o.Until != "" {
			if _, ok := parseDay(o.Until); !ok {
				ps = append(ps, Problem{"avv_override.until", ErrDate})
			}
		}
	}
	return ps
}

// Validate checks every processor and integration and that ids are
// unique, and returns an error naming each problem with the entry it
// belongs to, e.g. `processors[1] "beispiel_mail": country: is not an ISO
// 3166-1 alpha-2 country code such as DE, AT or CH`.
func (r Register) Validate() error {
	var msgs []string
	seen := map[string]bool{}
	for i := range r.Processors {
		p := &r.Processors[i]
		ps := p.Validate()
		if p.ID != "" && seen[p.ID] {
			ps = append(ps, Problem{"id", ErrIDTaken})
		}
		seen[p.ID] = true
		if len(ps) > 0 {
			msgs = append(msgs, fmt.Sprintf("processors[%d] %q: %s", i, p.ID, ps.Error()))
		}
	}
	seen = map[string]bool{}
	for i := range r.Integrations {
		in := &r.Integrations[i]
		ps := in.Validate()
		if in.ID != "" && seen[in.ID] {
			ps = append(ps, Problem{"id", ErrIDTaken})
		}
		seen[in.ID] = true
		if len(ps) > 0 {
			msgs = append(msgs, fmt.Sprintf("integrations[%d] %q: %s", i, in.ID, ps.Error()))
		}
	}
	if len(msgs) > 0 {
		return fmt.Errorf("%s", strings.Join(msgs, "; "))
	}
	return nil
}

// AVVState is the state of a processor's AVV on a day.
type AVVState string

// AVV states.
const (
	AVVValid      AVVState = "valid"        // in force, not ending within ExpiryWarning
	AVVExpiring   AVVState = "expiring"     // in force, ends within ExpiryWarning
	AVVExpired    AVVState = "expired"      // its last day has passed
	AVVMissing    AVVState = "missing"      // none signed
	AVVNotInForce AVVState = "not_in_force" // signed on a day still to come
)

// InForce reports whether the AVV covers processing in this state.
func (s AVVState) InForce() bool { return s == AVVValid || s == AVVExpiring }

// ExpiryWarning is how long before an AVV's last day the compliance
// status warns.
const ExpiryWarning = 30 * 24 * time.Hour

// dayStart returns the start of the day YYYY-MM-DD in loc.
func dayStart(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	return t, err == nil
}

// AVVState returns the state of the processor's AVV at now, with the days
// in loc (the organisation's time zone): it is in force from the start of
// signed_on to the end of valid_until. For an AVV in force with an end,
// left is the time until it ends.
func (p *Processor) AVVState(now time.Time, loc *time.Location) (state AVVState, left time.Duration) {
	signed, ok := dayStart(p.AVV.SignedOn, loc)
	if !ok {
		return AVVMissing, 0
	}
	if now.Before(signed) {
		return AVVNotInForce, 0
	}
	if p.AVV.ValidUntil == "" {
		return AVVValid, 0
	}
	last, ok := dayStart(p.AVV.ValidUntil, loc)
	if !ok {
		return AVVMissing, 0
	}
	end := last.AddDate(0, 0, 1)
	switch left = end.Sub(now); {
	case left <= 0:
		return AVVExpired, 0
	case left <= ExpiryWarning:
		return AVVExpiring, left
	}
	return AVVValid, left
}

// CountryStatus returns how a transfer to the processor is treated at
// now.
func (p *Processor) CountryStatus(now time.Time) CountryStatus {
	return StatusOf(p.Country, p.DPFCertified, now)
}

// overrideInForce reports whether the integration's override holds at now
// (its until day, in loc, not passed).
func (in *Integration) overrideInForce(now time.Time, loc *time.Location) bool {
	if in.Override == nil {
		return false
	}
	if in.Override.Until == "" {
		return true
	}
	last, ok := dayStart(in.Override.Until, loc)
	return ok && now.Before(last.AddDate(0, 0, 1))
}
