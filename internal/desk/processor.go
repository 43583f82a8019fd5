package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
)

// The register of processors lives in the policy: reading it reads the
// policy in force, and every change through a form or the API applies a
// new policy version with the processors section replaced
// (policy.WithProcessors), just as applying an edited file would.

// CanReadRegister reports whether the agent may see the register of
// processors, the integrations and the compliance status: administrators
// and privacy officers.
func CanReadRegister(a *Agent) bool {
	return a != nil && (a.Role == auth.Admin || a.Role == auth.PrivacyOfficer)
}

var (
	errRegisterForbidden = fault.Errorf(fault.Forbidden, "Only administrators and privacy officers may see the register of processors.")
	errRegisterReadOnly  = fault.Errorf(fault.Forbidden, "Only administrators may change the register of processors.")
	errNoProcessor       = fault.Errorf(fault.NotFound, "There is no such processor in the register.")
)

// Field error messages of the register besides privacy's Problem keys.
const (
	ErrProcessorIDFixed = "id_fixed"   // an update names another id than the processor's
	ErrAVVNeeded        = "avv_needed" // an enabled integration would lose its valid AVV
)

// Processors returns a page of the register, sorted by id, and the cursor
// of the next page ("" on the last); limit 1..500, default 50. The cursor
// is the last id of the page before. Administrators and privacy officers
// only (fault.Forbidden); a bad cursor is fault.Invalid.
func (d *Desk) Processors(ctx context.Context, a *Agent, cursor string, limit int) ([]privacy.Processor, string, error) {
	if !CanReadRegister(a) {
		return nil, "", errRegisterForbidden
	}
	if cursor != "" && !privacy.ValidID(cursor) {
		return nil, "", fault.Fields("This page of the list is invalid.", fault.FieldError{Field: "cursor", Message: "invalid_cursor"})
	}
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	all := slices.Clone(d.Policy().Processors)
	slices.SortFunc(all, func(x, y privacy.Processor) int { return strings.Compare(x.ID, y.ID) })
	i, _ := slices.BinarySearchFunc(all, cursor, func(x privacy.Processor, id string) int { return strings.Compare(x.ID, id) })
	if cursor != "" && i < len(all) && all[i].ID == cursor {
		i++
	}
	page := all[i:min(i+limit, len(all))]
	next := ""
	if i+limit < len(all) {
		next = page[len(page)-1].ID
	}
	return page, next, nil
}

// Processor returns the processor with the id; fault.NotFound when the
// register has none, fault.Forbidden for agents other than
// administrators and privacy officers.
func (d *Desk) Processor(ctx context.Context, a *Agent, id string) (*privacy.Processor, error) {
	if !CanReadRegister(a) {
		return nil, errRegisterForbidden
	}
	p, ok := d.Policy().Processor(id)
	if !ok {
		return nil, errNoProcessor
	}
	x := *p
	return &x, nil
}

// Integrations returns the outbound integrations the policy declares, in
// its order. Administrators and privacy officers only.
func (d *Desk) Integrations(ctx context.Context, a *Agent) ([]privacy.Integration, error) {
	if !CanReadRegister(a) {
		return nil, errRegisterForbidden
	}
	return slices.Clone(d.Policy().Integrations), nil
}

// CreateProcessor adds p to the register: a new policy version, audited
// as processor.create. Administrators only (fault.Forbidden); an invalid
// entry or a taken id is fault.Invalid with one field error per problem,
// and changes nothing.
func (d *Desk) CreateProcessor(ctx context.Context, a *Agent, p privacy.Processor) (*privacy.Processor, error) {
	if !CanAdminister(a) {
		return nil, errRegisterReadOnly
	}
	if err := invalidProcessor(p.Validate()); err != nil {
		return nil, err
	}
	return &p, d.editRegister(ctx, a, p.ID, func(ps []privacy.Processor) ([]privacy.Processor, string, error) {
		// "new" is the address of the pages' empty form
		// (/admin/processors/new), so no processor may be called so.
		if p.ID == "new" || slices.ContainsFunc(ps, func(x privacy.Processor) bool { return x.ID == p.ID }) {
			return nil, "", invalidProcessor(privacy.Problems{{Field: "id", Key: privacy.ErrIDTaken}})
		}
		return append(ps, p), audit.ProcessorCreate, nil
	})
}

// UpdateProcessor replaces the entry of the processor id by p, whose id
// must be id or empty: a new policy version, audited as
// processor.update. Administrators only; fault.NotFound for an unknown
// id; fault.Invalid for an invalid entry, or when an enabled integration
// would be left without a valid AVV (field avv.signed_on or
// avv.valid_until: ErrAVVNeeded).
func (d *Desk) UpdateProcessor(ctx context.Context, a *Agent, id string, p privacy.Processor) (*privacy.Processor, error) {
	if !CanAdminister(a) {
		return nil, errRegisterReadOnly
	}
	if p.ID == "" {
		p.ID = id
	}
	if p.ID != id {
		return nil, invalidProcessor(privacy.Problems{{Field: "id", Key: ErrProcessorIDFixed}})
	}
	if err := invalidProcessor(p.Validate()); err != nil {
		return nil, err
	}
	return &p, d.editRegister(ctx, a, id, func(ps []privacy.Processor) ([]privacy.Processor, string, error) {
		i := slices.IndexFunc(ps, func(x privacy.Processor) bool { return x.ID == id })
		if i < 0 {
			return nil, "", errNoProcessor
		}
		ps[i] = p
		return ps, audit.ProcessorUpdate, nil
	})
}

// DeleteProcessor removes the processor id from the register: a new
// policy version, audited as processor.delete. Administrators only;
// fault.NotFound for an unknown id; fault.Conflict while an integration
// still names it.
func (d *Desk) DeleteProcessor(ctx context.Context, a *Agent, id string) error {
	if !CanAdminister(a) {
		return errRegisterReadOnly
	}
	return d.editRegister(ctx, a, id, func(ps []privacy.Processor) ([]privacy.Processor, string, error) {
		i := slices.IndexFunc(ps, func(x privacy.Processor) bool { return x.ID == id })
		if i < 0 {
			return nil, "", errNoProcessor
		}
		return slices.Delete(ps, i, i+1), audit.ProcessorDelete, nil
	})
}

// editRegister applies the policy in force with its processors replaced
// by what edit makes of them, audited as edit's action on the processor
// id.
func (d *Desk) editRegister(ctx context.Context, a *Agent, id string, edit func([]privacy.Processor) ([]privacy.Processor, string, error)) error {
	_, err := d.changePolicy(ctx, a, func(tx *store.Tx) ([]byte, *auditChange, error) {
		_, body, err := tx.LatestPolicy()
		if err != nil {
			return nil, nil, err
		}
		cur, err := policy.Parse(body)
		if err != nil {
			return nil, nil, fmt.Errorf("policy in force: %w", err)
		}
		ps, action, err := edit(slices.Clone(cur.Processors))
		if err != nil {
			return nil, nil, err
		}
		if action == audit.ProcessorDelete {
			for _, in := range cur.Integrations {
				if in.Processor == id {
					return nil, nil, fault.Errorf(fault.Conflict, "The integration %s names this processor; change or remove it in the policy first.", in.ID)
				}
			}
		}
		out, err := policy.WithProcessors(body, ps)
		if err != nil {
			return nil, nil, err
		}
		return out, &auditChange{action: action, object: privacy.ProcessorObject(id)}, nil
	}, func(msg string) error {
		return &fault.Error{Code: fault.Invalid, Message: "An enabled integration needs a valid AVV of this processor: " + msg,
			Fields: []fault.FieldError{{Field: "avv.signed_on", Message: ErrAVVNeeded}, {Field: "avv.valid_until", Message: ErrAVVNeeded}}}
	})
	return err
}

// invalidProcessor turns validation problems into a fault.Invalid error
// with one field error each; nil when there are none.
func invalidProcessor(ps privacy.Problems) error {
	if len(ps) == 0 {
		return nil
	}
	fields := make([]fault.FieldError, len(ps))
	for i, p := range ps {
		fields[i] = fault.FieldError{Field: p.Field, Message: p.Key}
	}
	return fault.Fields("Please check the processor's entry.", fields...)
}
