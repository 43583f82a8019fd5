package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"frist/internal/auth"
	"frist/internal/privacy"
)

// TestDefaultVisibility holds the default policy's visibility section to
// DefaultVisibility, which also applies to policies without one.
func TestDefaultVisibility(t *testing.T) {
	p := Default()
	for role, want := range DefaultVisibility() {
		if diff := cmp.Diff(want, p.RoleVisibility(role)); diff != "" {
			t.Errorf("%s: default.yaml differs from DefaultVisibility (-want +got):\n%s", role, diff)
		}
	}
	src := string(DefaultYAML())
	start := strings.Index(src, "\nvisibility:\n")
	end := strings.Index(src, "\nprivacy_notice:\n")
	if start < 0 || end < start {
		t.Fatal("default.yaml has no visibility section before privacy_notice")
	}
	q, err := Parse([]byte(src[:start] + src[end:]))
	if err != nil {
		t.Fatal(err)
	}
	for role, want := range DefaultVisibility() {
		if diff := cmp.Diff(want, q.RoleVisibility(role)); diff != "" {
			t.Errorf("%s: a policy without the section differs (-want +got):\n%s", role, diff)
		}
	}
	if got := p.RoleVisibility("visitor"); got.Contact != privacy.Hidden || got.Sensitive != privacy.Hidden {
		t.Errorf("an unknown role sees %+v", got)
	}
}

func TestVisibilityOverrides(t *testing.T) {
	base := string(DefaultYAML())
	section := "\nvisibility:\n  agent:\n    sensitive: masked\n    reveal: []\n  admin:\n    contact: hidden\n"
	src := strings.Replace(base, "\nprivacy_notice:\n", section+"\nprivacy_notice:\n", 1)
	src = strings.Replace(src, "\nvisibility:\n  trainee:", "\nvisibility_unused:\n  trainee:", 1)
	// Only the first visibility section may remain.
	i := strings.Index(src, "\nvisibility_unused:\n")
	j := strings.Index(src[i+1:], "\n\n")
	src = src[:i] + src[i+1+j:]
	p, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	agent := p.RoleVisibility(auth.Agent)
	if agent.Sensitive != privacy.Masked || len(agent.Reveal) != 0 || len(agent.OwnDepartmentOnly) != 1 || agent.Contact != privacy.Visible {
		t.Errorf("agent = %+v", agent)
	}
	if a := agent.Access(privacy.Sensitive, true); a.Visibility != privacy.Masked || a.Reveal {
		t.Errorf("agent in own department: %+v", a)
	}
	if admin := p.RoleVisibility(auth.Admin); admin.Contact != privacy.Hidden || admin.Sensitive != privacy.Masked {
		t.Errorf("admin = %+v", admin)
	}
	if trainee := p.RoleVisibility(auth.Trainee); trainee.Contact != privacy.Masked {
		t.Errorf("trainee lost its defaults: %+v", trainee)
	}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(b)
	if err != nil {
		t.Fatalf("exported policy does not parse: %v", err)
	}
	if diff := cmp.Diff(p.RoleVisibility(auth.Agent), q.RoleVisibility(auth.Agent)); diff != "" {
		t.Errorf("round trip changed the agent (-before +after):\n%s", diff)
	}
}

func TestVisibilityErrors(t *testing.T) {
	base := string(DefaultYAML())
	for name, tc := range map[string]struct{ old, new, want string }{
		"UnknownRole":      {"\n  trainee:\n    contact: masked", "\n  intern:\n    contact: masked", `visibility: role "intern" is not one of`},
		"UnknownValue":     {"\n  trainee:\n    contact: masked", "\n  trainee:\n    contact: blurred", `visibility: trainee: contact: "blurred"`},
		"TraineeSensitive": {"\n    contact: masked\n    request_content: visible\n    sensitive: masked", "\n    contact: masked\n    request_content: visible\n    sensitive: visible", "trainees never see sensitive data"},
		"TraineeReveal":    {"\n  trainee:\n    contact: masked", "\n  trainee:\n    reveal: [contact]\n    contact: masked", "trainees cannot reveal"},
		"RevealVisible":    {"reveal: [sensitive]", "reveal: [contact]", "visibility: agent: reveal: contact is visible and never masked"},
		"AuditMasked":      {"sensitive: visible\n    technical: visible\n    audit_views: [sensitive]", "sensitive: masked\n    technical: visible\n    audit_views: [sensitive]", "only views of visible data"},
		"UnknownCategory":  {"own_department_only: [sensitive]", "own_department_only: [health]", `own_department_only: category "health"`},
		"UnknownSetting":   {"own_department_only: [sensitive]", "own_departments: [sensitive]", "own_departments"},
	} {
		t.Run(name, func(t *testing.T) {
			src := strings.Replace(base, tc.old, tc.new, 1)
			if src == base {
				t.Fatalf("replacement %q not found", tc.old)
			}
			_, err := Parse([]byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}
