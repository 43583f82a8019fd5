package desk_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
)

// cloudStorage is a valid processor in the US, certified under the EU-US
// Data Privacy Framework, with an AVV until the end of 2027.
func cloudStorage(id string) privacy.Processor {
	return privacy.Processor{
		ID: id, Provider: "Example Cloud Inc.", Service: privacy.Text{DE: "Objektspeicher", EN: "Object storage"},
		Categories: []privacy.Category{privacy.Content}, Country: "US", DPFCertified: true,
		AVV: privacy.AVV{SignedOn: "2026-01-15", ValidUntil: "2027-12-31", Document: "AVV-Ordner 2026/01"},
	}
}

// auditActions returns "action object actor" of every entry of the trail
// whose action starts with one of the prefixes, oldest first.
func auditActions(t *testing.T, e *desktest.Env, admin *desk.Agent, prefixes ...string) []string {
	t.Helper()
	entries, _, err := e.Desk.AuditLog(context.Background(), admin, store.AuditFilter{}, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		x := entries[i]
		for _, p := range prefixes {
			if strings.HasPrefix(x.Action, p) {
				out = append(out, fmt.Sprintf("%s %s %s:%d", x.Action, x.Object, x.ActorKind, x.ActorID))
			}
		}
	}
	return out
}

func TestProcessorRegister(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	ctx := context.Background()
	admin := e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	dpo := e.MustCreateAgent(t, "petra@example.org", "Petra Privacy", auth.PrivacyOfficer)
	agent := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	trainee := e.MustCreateAgent(t, "tom@example.org", "Tom Trainee", auth.Trainee)
	e.Clock.Set(time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC))

	policyID := func() string {
		t.Helper()
		_, meta, err := e.Desk.PolicyInForce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(meta.PolicyID)
	}

	t.Run("Roles", func(t *testing.T) {
		for _, a := range []*desk.Agent{agent, trainee, nil} {
			if _, _, err := e.Desk.Processors(ctx, a, "", 0); fault.Code(err) != fault.Forbidden {
				t.Errorf("Processors by %v: %v", a, err)
			}
			if _, err := e.Desk.Processor(ctx, a, "beispiel_mail"); fault.Code(err) != fault.Forbidden {
				t.Errorf("Processor by %v: %v", a, err)
			}
			if _, err := e.Desk.Integrations(ctx, a); fault.Code(err) != fault.Forbidden {
				t.Errorf("Integrations by %v: %v", a, err)
			}
		}
		for _, a := range []*desk.Agent{admin, dpo} {
			ps, next, err := e.Desk.Processors(ctx, a, "", 0)
			if err != nil || len(ps) != 1 || ps[0].ID != "beispiel_mail" || next != "" {
				t.Errorf("Processors by %s: %+v %q %v", a.Role, ps, next, err)
			}
		}
		for _, a := range []*desk.Agent{dpo, agent, trainee, nil} {
			if _, err := e.Desk.CreateProcessor(ctx, a, cloudStorage("example_cloud")); fault.Code(err) != fault.Forbidden {
				t.Errorf("CreateProcessor by %v: %v", a, err)
			}
			if _, err := e.Desk.UpdateProcessor(ctx, a, "beispiel_mail", cloudStorage("beispiel_mail")); fault.Code(err) != fault.Forbidden {
				t.Errorf("UpdateProcessor by %v: %v", a, err)
			}
			if err := e.Desk.DeleteProcessor(ctx, a, "beispiel_mail"); fault.Code(err) != fault.Forbidden {
				t.Errorf("DeleteProcessor by %v: %v", a, err)
			}
		}
	})

	t.Run("Create", func(t *testing.T) {
		before := policyID()
		p, err := e.Desk.CreateProcessor(ctx, admin, cloudStorage("example_cloud"))
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != "example_cloud" || policyID() == before {
			t.Errorf("created %+v, policy %s → %s", p, before, policyID())
		}
		got, err := e.Desk.Processor(ctx, dpo, "example_cloud")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(cloudStorage("example_cloud"), *got); diff != "" {
			t.Errorf("stored (-want +got):\n%s", diff)
		}
		// The new version is the policy file with the register edited.
		body, err := e.Desk.ExportPolicy(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(body, []byte("provider: Example Cloud Inc.")) || !bytes.Contains(body, []byte("# Deletion concept (Löschkonzept)")) {
			t.Errorf("exported policy:\n%s", body)
		}
	})

	t.Run("CreateInvalid", func(t *testing.T) {
		before := policyID()
		bad := cloudStorage("Example Cloud")
		bad.Country, bad.AVV.ValidUntil = "UK", "2025-01-01"
		_, err := e.Desk.CreateProcessor(ctx, admin, bad)
		want := []fault.FieldError{{Field: "id", Message: privacy.ErrID}, {Field: "country", Message: privacy.ErrCountryUK}, {Field: "dpf_certified", Message: privacy.ErrDPFNotUS}, {Field: "avv.valid_until", Message: privacy.ErrBeforeSigned}}
		if fault.Code(err) != fault.Invalid {
			t.Fatalf("err = %v", err)
		}
		if diff := cmp.Diff(want, fault.FieldsOf(err)); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		_, err = e.Desk.CreateProcessor(ctx, admin, cloudStorage("example_cloud"))
		if diff := cmp.Diff([]fault.FieldError{{Field: "id", Message: privacy.ErrIDTaken}}, fault.FieldsOf(err)); diff != "" {
			t.Errorf("taken id (-want +got):\n%s", diff)
		}
		if policyID() != before {
			t.Error("an invalid entry applied a new policy")
		}
	})

	t.Run("Update", func(t *testing.T) {
		p := cloudStorage("")
		p.Country, p.DPFCertified = "IN", false
		p.Transfer = &privacy.Transfer{Mechanism: privacy.TransferSCC, Note: "Modul 2"}
		got, err := e.Desk.UpdateProcessor(ctx, admin, "example_cloud", p)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != "example_cloud" || got.Country != "IN" {
			t.Errorf("updated: %+v", got)
		}
		if x, _ := e.Desk.Processor(ctx, admin, "example_cloud"); x.Transfer == nil || x.Transfer.Note != "Modul 2" {
			t.Errorf("stored: %+v", x)
		}
		if _, err := e.Desk.UpdateProcessor(ctx, admin, "example_cloud", cloudStorage("other")); fault.Code(err) != fault.Invalid || fault.FieldsOf(err)[0].Message != desk.ErrProcessorIDFixed {
			t.Errorf("renaming: %v", err)
		}
		if _, err := e.Desk.UpdateProcessor(ctx, admin, "nobody", cloudStorage("nobody")); fault.Code(err) != fault.NotFound {
			t.Errorf("unknown: %v", err)
		}
	})

	t.Run("Paging", func(t *testing.T) {
		for _, id := range []string{"a_processor", "z_processor"} {
			if _, err := e.Desk.CreateProcessor(ctx, admin, cloudStorage(id)); err != nil {
				t.Fatal(err)
			}
		}
		var ids []string
		cursor, pages := "", 0
		for {
			ps, next, err := e.Desk.Processors(ctx, dpo, cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			pages++
			if next == "" {
				break
			}
			cursor = next
		}
		if diff := cmp.Diff([]string{"a_processor", "beispiel_mail", "example_cloud", "z_processor"}, ids); diff != "" || pages != 2 {
			t.Errorf("%d pages (-want +got):\n%s", pages, diff)
		}
		if _, _, err := e.Desk.Processors(ctx, dpo, "Robert'); DROP", 2); fault.Code(err) != fault.Invalid {
			t.Errorf("bad cursor: %v", err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		if err := e.Desk.DeleteProcessor(ctx, admin, "z_processor"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Desk.Processor(ctx, admin, "z_processor"); fault.Code(err) != fault.NotFound {
			t.Errorf("deleted processor: %v", err)
		}
		if err := e.Desk.DeleteProcessor(ctx, admin, "z_processor"); fault.Code(err) != fault.NotFound {
			t.Errorf("twice: %v", err)
		}
		// The default mail relay integration names beispiel_mail.
		if err := e.Desk.DeleteProcessor(ctx, admin, "beispiel_mail"); fault.Code(err) != fault.Conflict || !strings.Contains(fault.Message(err), "mail_relay") {
			t.Errorf("named by an integration: %v", err)
		}
	})

	t.Run("IntegrationNeedsAVV", func(t *testing.T) {
		body, _ := e.Desk.ExportPolicy(ctx)
		on := strings.Replace(string(body), "enabled: false", "enabled: true", 1)
		if _, err := e.Desk.ApplyPolicyAs(ctx, admin, []byte(on)); err != nil {
			t.Fatal(err)
		}
		before := policyID()
		p, _ := e.Desk.Processor(ctx, admin, "beispiel_mail")
		p.AVV.ValidUntil = "2026-11-28"
		_, err := e.Desk.UpdateProcessor(ctx, admin, "beispiel_mail", *p)
		if fault.Code(err) != fault.Invalid || len(fault.FieldsOf(err)) == 0 || fault.FieldsOf(err)[0].Message != desk.ErrAVVNeeded || !strings.Contains(fault.Message(err), "mail_relay") {
			t.Errorf("expired AVV of an enabled integration: %v %+v", err, fault.FieldsOf(err))
		}
		if policyID() != before {
			t.Error("the refused change applied a new policy")
		}
		// The last day still counts.
		p.AVV.ValidUntil = "2026-11-29"
		if _, err := e.Desk.UpdateProcessor(ctx, admin, "beispiel_mail", *p); err != nil {
			t.Errorf("AVV valid today: %v", err)
		}
	})

	t.Run("Audit", func(t *testing.T) {
		want := []string{
			fmt.Sprintf("processor.create processor:example_cloud agent:%d", admin.ID),
			fmt.Sprintf("processor.update processor:example_cloud agent:%d", admin.ID),
			fmt.Sprintf("processor.create processor:a_processor agent:%d", admin.ID),
			fmt.Sprintf("processor.create processor:z_processor agent:%d", admin.ID),
			fmt.Sprintf("processor.delete processor:z_processor agent:%d", admin.ID),
			fmt.Sprintf("processor.update processor:beispiel_mail agent:%d", admin.ID),
		}
		if diff := cmp.Diff(want, auditActions(t, e, admin, "processor.")); diff != "" {
			t.Errorf("audit trail (-want +got):\n%s", diff)
		}
	})
}

// TestRegisterConcurrentEdits: edits at the same moment each see the
// ones before, so that none is lost (the policy lock).
func TestRegisterConcurrentEdits(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	ctx := context.Background()
	admin := e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			if _, err := e.Desk.CreateProcessor(ctx, admin, cloudStorage(fmt.Sprintf("cloud_%d", i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	ps, _, err := e.Desk.Processors(ctx, admin, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 7 {
		t.Errorf("%d processors after 6 concurrent additions to 1", len(ps))
	}
}

func TestApplyPolicyIntegrationGate(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	ctx := context.Background()
	admin := e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	e.Clock.Set(time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC))
	base := string(policy.DefaultYAML())
	hook := "\n  - {id: crm_hook, kind: webhook, host: hooks.example.org, processor: example_crm, enabled: true%s}\n"
	for _, tc := range []struct {
		name, body, want string
		actor            *desk.Agent
	}{
		{"UnknownProcessor", base + fmt.Sprintf(hook, ""), "The integration crm_hook names the processor example_crm, which is not in the register.", admin},
		{"ExpiredAVV", strings.Replace(strings.Replace(base, "enabled: false", "enabled: true", 1), `signed_on: "2025-03-01"`, "signed_on: \"2025-03-01\"\n      valid_until: \"2026-11-28\"", 1),
			"The integration mail_relay sends data to beispiel_mail (Beispiel Mail GmbH), which has no valid AVV.", nil},
		{"OverrideLapsed", base + fmt.Sprintf(hook, `, avv_override: {reason: "Pilot", until: "2026-11-28"}`), "names the processor example_crm", admin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Desk.ApplyPolicyAs(ctx, tc.actor, []byte(tc.body))
			if fault.Code(err) != fault.Invalid || !strings.Contains(fault.Message(err), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if got := auditActions(t, e, admin, "integration."); len(got) != 0 {
		t.Errorf("refused policies were audited: %v", got)
	}
	// With an override the policy applies, and each application relying
	// on it is in the audit trail, by whoever applied it.
	reason := "AVV mit Example CRM liegt zur Unterschrift vor"
	body := base + fmt.Sprintf(hook, `, avv_override: {reason: "`+reason+`", until: "2026-12-31"}`)
	if _, err := e.Desk.ApplyPolicyAs(ctx, admin, []byte(body)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Desk.ApplyPolicy(ctx, []byte(body)); err != nil {
		t.Fatal(err)
	}
	want := []string{
		fmt.Sprintf("integration.avv_override integration:crm_hook agent:%d", admin.ID),
		"integration.avv_override integration:crm_hook system:0",
	}
	if diff := cmp.Diff(want, auditActions(t, e, admin, "integration.")); diff != "" {
		t.Errorf("audit trail (-want +got):\n%s", diff)
	}
	entries, _, _ := e.Desk.AuditLog(ctx, admin, store.AuditFilter{Action: audit.IntegrationOverride}, "", 1)
	if d := entries[0].Detail; !strings.HasPrefix(d, "processor=example_crm policy=") || !strings.Contains(d, "reason_sha256=") || !strings.HasSuffix(d, "until=2026-12-31") || strings.Contains(d, "Unterschrift") {
		t.Errorf("detail %q", d)
	}
	c, err := e.Desk.Compliance(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Items) != 1 || c.Items[0].Code != privacy.FindOverride || c.Items[0].Severity != privacy.SeverityWarning {
		t.Errorf("compliance: %+v", c.Items)
	}
	// Disabled, the integration needs neither.
	if _, err := e.Desk.ApplyPolicyAs(ctx, admin, []byte(base+strings.Replace(fmt.Sprintf(hook, ""), "enabled: true", "enabled: false", 1))); err != nil {
		t.Errorf("disabled integration refused: %v", err)
	}
}

func TestCompliance(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	var mu sync.Mutex
	e := desktest.NewWithLog(t, &lockedWriter{w: &log, mu: &mu})
	ctx := context.Background()
	admin := e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	dpo := e.MustCreateAgent(t, "petra@example.org", "Petra Privacy", auth.PrivacyOfficer)
	agent := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	e.Clock.Set(time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC))

	if _, err := e.Desk.Compliance(ctx, agent); fault.Code(err) != fault.Forbidden {
		t.Errorf("agent: %v", err)
	}
	for _, a := range []*desk.Agent{admin, dpo, nil} {
		c, err := e.Desk.Compliance(ctx, a)
		if err != nil || c.Open() {
			t.Errorf("fresh installation: %+v %v", c, err)
		}
	}
	p, _ := e.Desk.Processor(ctx, admin, "beispiel_mail")
	p.AVV.ValidUntil = "2026-12-20"
	if _, err := e.Desk.UpdateProcessor(ctx, admin, "beispiel_mail", *p); err != nil {
		t.Fatal(err)
	}
	noAVV := cloudStorage("example_cloud")
	noAVV.AVV = privacy.AVV{}
	if _, err := e.Desk.CreateProcessor(ctx, admin, noAVV); err != nil {
		t.Fatal(err)
	}
	c, err := e.Desk.Compliance(ctx, dpo)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range c.Items {
		got = append(got, f.Code+" "+f.Object)
	}
	want := []string{"processor.avv_missing processor:example_cloud", "processor.avv_expiring processor:beispiel_mail"}
	if diff := cmp.Diff(want, got); diff != "" || c.Count(privacy.SeverityError) != 1 || c.Count(privacy.SeverityWarning) != 1 {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if err := e.Desk.LogCompliance(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	out := log.String()
	mu.Unlock()
	for _, w := range []string{`"msg":"processor AVV ends soon","processor":"beispiel_mail"`, `"msg":"processor AVV not in force","processor":"example_cloud"`} {
		if !strings.Contains(out, w) {
			t.Errorf("log lacks %s:\n%s", w, out)
		}
	}
	for _, not := range []string{"Beispiel Mail GmbH", "Example Cloud Inc.", "ada@example.org"} {
		if strings.Contains(out, not) {
			t.Errorf("log contains %q", not)
		}
	}
}

// lockedWriter serialises writes of the desk's logger with the test's
// reads.
type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestRegisterTexts: every message key the register's validation may
// return is translated for pages and the API.
func TestRegisterTexts(t *testing.T) {
	for _, k := range append(privacy.ProblemKeys(), desk.ErrProcessorIDFixed, desk.ErrAVVNeeded) {
		if fault.Text("de", k) == "" || fault.Text("en", k) == "" {
			t.Errorf("%s is not translated", k)
		}
	}
}
