// Package policy owns the configuration an organisation writes as YAML:
// departments, request types with their form fields, first-response
// targets, legal bases, optional purposes and the privacy notice. It parses
// and validates the file, builds the data catalogue from it, and writes it
// back.
package policy

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/period"
	"frist/internal/privacy"
	"frist/internal/routing"
	"frist/internal/sla"
	"frist/internal/ticket"

	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the policy every new installation starts with.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Policy is an organisation's configuration.
type Policy struct {
	Organisation Organisation        `yaml:"organisation"`
	Departments  []Department        `yaml:"departments"`
	RequestTypes []RequestType       `yaml:"request_types"`
	Fields       []privacy.Attribute `yaml:"fields,omitempty"` // attributes added to the built-in catalogue
	Purposes     []privacy.Purpose   `yaml:"purposes,omitempty"`
	Notice       privacy.Notice      `yaml:"privacy_notice"`
	Routing      []routing.Rule      `yaml:"routing,omitempty"` // first match wins; none: DefaultDepartment, else the request type's department
	// DefaultDepartment catches requests no routing rule matched; empty:
	// each request type's own department.
	DefaultDepartment string     `yaml:"default_department,omitempty"`
	Calendars         []Calendar `yaml:"calendars,omitempty"` // business-hours calendars for SLA policies and agents' working hours
	SLA               SLA        `yaml:"sla,omitempty"`
	// Retention is the deletion concept: classes, rules and the legal
	// settings they are counted in.
	Retention privacy.Retention `yaml:"retention,omitempty"`
	// Processors is the register of processors (GDPR Art. 28) and
	// Integrations the outbound connections that send them personal
	// data; see register.go.
	Processors   []privacy.Processor   `yaml:"processors,omitempty"`
	Integrations []privacy.Integration `yaml:"integrations,omitempty"`
	// PII says what happens to personal data found in free text at intake
	// and on replies (pii.go).
	PII PII `yaml:"pii,omitempty"`
	// Visibility says what each role sees of each data category (masking
	// by role, visibility.go); roles and settings left out keep
	// DefaultVisibility.
	Visibility map[string]privacy.RoleVisibility `yaml:"visibility,omitempty"`

	catalogue  *privacy.Catalogue
	visibility map[auth.Role]privacy.RoleVisibility // Visibility merged over the defaults
	router     *routing.Rules
	location   *time.Location
	calendars  map[string]*sla.Calendar
}

// Organisation describes the installation's operator.
type Organisation struct {
	Name     string `yaml:"name"`
	TimeZone string `yaml:"time_zone"` // IANA zone, e.g. Europe/Berlin
	Contact  string `yaml:"privacy_contact,omitempty"`
	// AgentPerformanceViews switches on views of individual agents' load
	// and response times. Off by default: in Germany such monitoring
	// usually needs a works-council agreement (BetrVG §87(1) no. 6).
	AgentPerformanceViews bool `yaml:"agent_performance_views,omitempty"`
}

// Department is a team that handles requests.
type Department struct {
	ID         string           `yaml:"id"`
	Name       privacy.Text     `yaml:"name"`
	Assignment routing.Strategy `yaml:"assignment,omitempty"` // how new tickets reach agents; default manual
	Lead       string           `yaml:"lead,omitempty"`       // email of the agent notified on SLA escalations
}

// RequestType is a kind of request the form offers.
type RequestType struct {
	ID            string             `yaml:"id"`
	Name          privacy.Text       `yaml:"name"`
	Description   privacy.Text       `yaml:"description,omitempty"`
	Department    string             `yaml:"department"`
	Priority      ticket.Priority    `yaml:"priority"`
	FirstResponse period.Period      `yaml:"first_response"` // target for the first answer, ISO 8601
	LegalBasis    privacy.LegalBasis `yaml:"legal_basis"`
	Fields        []FieldRef         `yaml:"fields,omitempty"`
	Skills        []string           `yaml:"skills,omitempty"` // skills an assignee needs under skill-based assignment, e.g. lang:fr
}

// FieldRef is a catalogued attribute a request type asks for.
type FieldRef struct {
	ID       string `yaml:"id"`
	Required bool   `yaml:"required,omitempty"`
}

// Parse parses and validates a policy file.
func Parse(b []byte) (*Policy, error) {
	var p Policy
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return &p, nil
}

// Default returns the parsed default policy.
func Default() *Policy {
	p, err := Parse(defaultYAML)
	if err != nil {
		panic(err) // the embedded default is tested
	}
	return p
}

// Marshal writes the policy as YAML.
func (p *Policy) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("# Frist policy. Apply with: frist policy apply FILE\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (p *Policy) validate() error {
	if p.Organisation.TimeZone == "" {
		p.Organisation.TimeZone = "Europe/Berlin"
	}
	loc, err := time.LoadLocation(p.Organisation.TimeZone)
	if err != nil {
		return fmt.Errorf("organisation.time_zone: %w", err)
	}
	p.location = loc
	purposes := map[string]bool{}
	for _, x := range privacy.BuiltInPurposes() {
		purposes[x.ID] = true
	}
	for _, x := range p.Purposes {
		if !privacy.ValidID(x.ID) || purposes[x.ID] {
			return fmt.Errorf("purposes: %q is not a valid new id", x.ID)
		}
		if x.Label.DE == "" || x.Label.EN == "" {
			return fmt.Errorf("purposes: %q needs a German and English label", x.ID)
		}
		purposes[x.ID] = true
	}
	cat, err := privacy.NewCatalogue(p.Fields, p.Purposes)
	if err != nil {
		return err
	}
	p.catalogue = cat
	if err := p.Notice.Validate(); err != nil {
		return err
	}
	if len(p.Departments) == 0 {
		return fmt.Errorf("departments: at least one is needed")
	}
	depts := map[string]bool{}
	for i, d := range p.Departments {
		if !privacy.ValidID(d.ID) || depts[d.ID] {
			return fmt.Errorf("departments: %q is not a valid new id", d.ID)
		}
		if d.Name.DE == "" || d.Name.EN == "" {
			return fmt.Errorf("department %q: name needs German and English", d.ID)
		}
		depts[d.ID] = true
		if d.Assignment == "" {
			p.Departments[i].Assignment = routing.Manual
		} else if !d.Assignment.Valid() {
			return fmt.Errorf("department %q: assignment %q is not one of %v", d.ID, d.Assignment, routing.Strategies)
		}
	}
	if len(p.RequestTypes) == 0 {
		return fmt.Errorf("request_types: at least one is needed")
	}
	types := map[string]bool{}
	for i := range p.RequestTypes {
		rt := &p.RequestTypes[i]
		switch {
		case !privacy.ValidID(rt.ID) || types[rt.ID]:
			return fmt.Errorf("request_types: %q is not a valid new id", rt.ID)
		case rt.Name.DE == "" || rt.Name.EN == "":
			return fmt.Errorf("request type %q: name needs German and English", rt.ID)
		case !depts[rt.Department]:
			return fmt.Errorf("request type %q: department %q is not declared", rt.ID, rt.Department)
		case rt.FirstResponse.IsZero():
			return fmt.Errorf("request type %q: first_response is required (ISO 8601, e.g. PT8H)", rt.ID)
		}
		types[rt.ID] = true
		if rt.Priority == "" {
			rt.Priority = ticket.Normal
		}
		if !rt.Priority.Valid() {
			return fmt.Errorf("request type %q: priority %q is not one of %v", rt.ID, rt.Priority, ticket.Priorities)
		}
		if rt.LegalBasis == "" {
			rt.LegalBasis = privacy.BasisContract
		}
		if !rt.LegalBasis.Valid() {
			return fmt.Errorf("request type %q: legal_basis %q is not known", rt.ID, rt.LegalBasis)
		}
		seen := map[string]bool{}
		for _, f := range rt.Fields {
			a, ok := cat.Attribute(f.ID)
			switch {
			case !ok:
				return fmt.Errorf("request type %q: field %q is not in the catalogue", rt.ID, f.ID)
			case a.Core:
				return fmt.Errorf("request type %q: field %q is asked by every form already", rt.ID, f.ID)
			case seen[f.ID]:
				return fmt.Errorf("request type %q: field %q listed twice", rt.ID, f.ID)
			}
			seen[f.ID] = true
		}
	}
	if p.DefaultDepartment != "" && !depts[p.DefaultDepartment] {
		return fmt.Errorf("default_department: %q is not declared", p.DefaultDepartment)
	}
	p.router, err = routing.New(p.Routing, func(id string) bool { return depts[id] }, func(id string) bool { return types[id] })
	if err != nil {
		return err
	}
	if err := p.validateSLA(depts, types); err != nil {
		return err
	}
	if err := p.PII.validate(types); err != nil {
		return err
	}
	if err := p.validateVisibility(); err != nil {
		return err
	}
	if err := p.Retention.Validate(cat, func(id string) bool { return types[id] }); err != nil {
		return err
	}
	return p.Register().Validate()
}

func ticketPriority(s string) bool { return ticket.Priority(s).Valid() }

// Router returns the routing rules.
func (p *Policy) Router() *routing.Rules { return p.router }

// Catalogue returns the data catalogue: built-in attributes plus Fields.
func (p *Policy) Catalogue() *privacy.Catalogue { return p.catalogue }

// Location returns the organisation's time zone.
func (p *Policy) Location() *time.Location { return p.location }

// RequestType returns the request type with the id.
func (p *Policy) RequestType(id string) (*RequestType, bool) {
	for i := range p.RequestTypes {
		if p.RequestTypes[i].ID == id {
			return &p.RequestTypes[i], true
		}
	}
	return nil, false
}

// Department returns the department with the id.
func (p *Policy) Department(id string) (*Department, bool) {
	for i := range p.Departments {
		if p.Departments[i].ID == id {
			return &p.Departments[i], true
		}
	}
	return nil, false
}

// OptionalPurposes returns the purposes a customer may consent to.
func (p *Policy) OptionalPurposes() []privacy.Purpose {
	var out []privacy.Purpose
	for _, x := range p.Purposes {
		if x.Optional {
			out = append(out, x)
		}
	}
	return out
}

// Purpose returns the purpose with the id, built-in or declared.
func (p *Policy) Purpose(id string) (privacy.Purpose, bool) {
	for _, x := range append(privacy.BuiltInPurposes(), p.Purposes...) {
		if x.ID == id {
			return x, true
		}
	}
	return privacy.Purpose{}, false
}

// FirstResponseDue returns the first-response deadline for a request of
// the type received at t: around the clock, in the organisation's time
// zone.
func (p *Policy) FirstResponseDue(rt *RequestType, t time.Time) time.Time {
	return rt.FirstResponse.AddTo(t, p.location).UTC()
}

// Summary returns a one-line description for logs and CLI output.
func (p *Policy) Summary() string {
	var ids []string
	for _, rt := range p.RequestTypes {
		ids = append(ids, rt.ID)
	}
	return fmt.Sprintf("%d departments, %d request types (%s), privacy notice %s",
		len(p.Departments), len(p.RequestTypes), strings.Join(ids, ", "), p.Notice.Version)
}
