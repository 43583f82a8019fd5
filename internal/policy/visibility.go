package policy

import (
	"fmt"

	"frist/internal/auth"
	"frist/internal/privacy"
)

// DefaultVisibility returns what each role sees when the policy's
// visibility section says nothing about it:
//
//   - trainees see contact data pseudonymised and sensitive data never (a
//     label such as "[Zahlungsart]" stands in for it); they reveal nothing;
//   - agents see sensitive data of their own departments; elsewhere (an
//     account without departments is a member of none) it is masked, and
//     they may reveal it with a reason;
//   - privacy officers see everything, and every view of sensitive data
//     is recorded in the audit trail;
//   - administrators configure the installation and do not need
//     customers' sensitive data: it is masked for them, without reveal.
func DefaultVisibility() map[auth.Role]privacy.RoleVisibility {
	all := func(v privacy.Visibility) privacy.RoleVisibility {
		return privacy.RoleVisibility{Contact: privacy.Visible, RequestContent: privacy.Visible, Sensitive: v, Technical: privacy.Visible}
	}
	trainee := all(privacy.Masked)
	trainee.Contact = privacy.Masked
	agent := all(privacy.Visible)
	agent.OwnDepartmentOnly = []privacy.Category{privacy.Sensitive}
	agent.Reveal = []privacy.Category{privacy.Sensitive}
	officer := all(privacy.Visible)
	officer.AuditViews = []privacy.Category{privacy.Sensitive}
	return map[auth.Role]privacy.RoleVisibility{
		auth.Trainee:        trainee,
		auth.Agent:          agent,
		auth.PrivacyOfficer: officer,
		auth.Admin:          all(privacy.Masked),
	}
}

// validateVisibility merges the visibility section over the defaults and
// checks it: known roles, a valid setting per category, and the promise
// of safe training — trainees never see or reveal sensitive data and
// reveal nothing at all.
func (p *Policy) validateVisibility() error {
	resolved := DefaultVisibility()
	for role, rv := range p.Visibility {
		r := auth.Role(role)
		if !r.Valid() {
			return fmt.Errorf("visibility: role %q is not one of %v", role, auth.Roles)
		}
		resolved[r] = rv.Merge(resolved[r])
	}
	for _, r := range auth.Roles {
		rv := resolved[r]
		if err := rv.Validate(); err != nil {
			return fmt.Errorf("visibility: %s: %w", r, err)
		}
		if r == auth.Trainee {
			if rv.Sensitive == privacy.Visible {
				return fmt.Errorf("visibility: trainee: sensitive must be masked or hidden; trainees never see sensitive data")
			}
			if len(rv.Reveal) > 0 {
				return fmt.Errorf("visibility: trainee: trainees cannot reveal masked data; remove reveal")
			}
		}
	}
	p.visibility = resolved
	return nil
}

// RoleVisibility returns what the role sees of each data category: the
// policy's visibility section merged over DefaultVisibility. An unknown
// role sees nothing.
func (p *Policy) RoleVisibility(r auth.Role) privacy.RoleVisibility {
	if rv, ok := p.visibility[r]; ok {
		return rv
	}
	return privacy.RoleVisibility{Contact: privacy.Hidden, RequestContent: privacy.Hidden, Sensitive: privacy.Hidden, Technical: privacy.Hidden}
}
