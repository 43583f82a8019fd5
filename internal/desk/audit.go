package desk

import (
	"context"
	"strings"
	"time"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/fault"
	"frist/internal/store"
)

// AuditVerification is the result of checking the whole audit trail:
// how many entries were checked, whether the chain is intact, and where
// it breaks.
type AuditVerification = store.AuditVerification

// CanAudit reports whether the agent may read, export and verify the
// audit trail: administrators and privacy officers.
func CanAudit(a *Agent) bool {
	return a != nil && (a.Role == auth.Admin || a.Role == auth.PrivacyOfficer)
}

// errAuditForbidden answers everyone else.
var errAuditForbidden = fault.Errorf(fault.Forbidden, "Only administrators and privacy officers may see the audit trail.")

// auditEntry returns an entry of the agent a, or of the system when a is
// nil, for AppendAudit(s).
func auditEntry(a *Agent, action, object, detail string) *audit.Entry {
	e := &audit.Entry{ActorKind: audit.ActorSystem, Action: action, Object: object, Detail: detail}
	if a != nil {
		e.ActorKind, e.ActorID = audit.ActorAgent, a.ID
	}
	return e
}

// auditTx records in the audit trail, within tx, that the agent a (nil:
// the system) did action to object, e.g. auditTx(tx, a,
// audit.LegalHoldPlace, "hold:3", "ticket=F-100042"). detail holds ids,
// counts and enums only (audit.Check). It locks the chain's head until tx
// ends, so call it last in the transaction. For many entries in one
// transaction (a sweep), build them with auditEntry and append them with
// one tx.AppendAudits.
func (d *Desk) auditTx(tx *store.Tx, a *Agent, action, object, detail string) error {
	return tx.AppendAudit(auditEntry(a, action, object, detail))
}

// Field error messages of an audit filter.
const (
	ErrAuditObject = "invalid_object" // not "kind:id", e.g. ticket:F-100042
	ErrAuditAction = "invalid_action" // not "area.verb", e.g. retention.delete
	ErrAuditTime   = "invalid_date"   // neither YYYY-MM-DD nor RFC 3339
)

// AuditFilter parses the filters of the audit trail as forms and query
// strings give them: object ("ticket:F-100042"), action
// ("retention.delete"), and a period from and to, each a day
// (YYYY-MM-DD in the organisation's time zone; to includes its day) or an
// RFC 3339 time (to excluded); empty values do not filter. Bad values give
// fault.Invalid naming each field.
func (d *Desk) AuditFilter(object, action, from, to string) (store.AuditFilter, error) {
	f := store.AuditFilter{Object: strings.TrimSpace(object), Action: strings.TrimSpace(action)}
	var errs []fault.FieldError
	if f.Object != "" && !audit.ValidObject(f.Object) {
		errs = append(errs, fault.FieldError{Field: "object", Message: ErrAuditObject})
	}
	if f.Action != "" && !audit.ValidAction(f.Action) {
		errs = append(errs, fault.FieldError{Field: "action", Message: ErrAuditAction})
	}
	loc := d.Policy().Location()
	parse := func(field, s string, endOfDay bool) time.Time {
		s = strings.TrimSpace(s)
		if s == "" {
			return time.Time{}
		}
		if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
			if endOfDay {
				t = t.AddDate(0, 0, 1)
			}
			return t
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			errs = append(errs, fault.FieldError{Field: field, Message: ErrAuditTime})
		}
		return t
	}
	f.From, f.To = parse("from", from, false), parse("to", to, true)
	if len(errs) > 0 {
		return f, &fault.Error{Code: fault.Invalid, Message: "Please check the filter.", Fields: errs}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		return f, fault.Fields("The period ends before it begins.", fault.FieldError{Field: "to", Message: "before_from"})
	}
	return f, nil
}

// AuditLog returns a page of the audit trail matching f, newest first,
// and the cursor of the next page ("" on the last); limit 1..500, default
// 50. Administrators and privacy officers only, others get
// fault.Forbidden; a bad cursor gives fault.Invalid. Reading the trail is
// not itself audited; exporting it is (ExportAudit).
func (d *Desk) AuditLog(ctx context.Context, a *Agent, f store.AuditFilter, cursor string, limit int) ([]audit.Entry, string, error) {
	if !CanAudit(a) {
		return nil, "", errAuditForbidden
	}
	var out []audit.Entry
	var next string
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, next, err = tx.AuditPage(f, cursor, limit)
		return err
	})
	return out, next, err
}

// ExportAudit hands every entry of the audit trail matching f to each,
// newest first, for a download. It first records an audit.export entry
// (object "audit:trail", the filter as detail), which the export
// therefore includes when it matches f. Administrators and privacy
// officers only, others get fault.Forbidden. An error from each stops the
// export and is returned.
func (d *Desk) ExportAudit(ctx context.Context, a *Agent, f store.AuditFilter, each func(audit.Entry) error) error {
	if !CanAudit(a) {
		return errAuditForbidden
	}
	if err := d.db.Write(ctx, func(tx *store.Tx) error {
		return d.auditTx(tx, a, audit.AuditExport, "audit:trail", auditFilterDetail(f))
	}); err != nil {
		return err
	}
	cursor := ""
	for {
		page, next, err := d.AuditLog(ctx, a, f, cursor, 500)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := each(e); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		cursor = next
	}
}

// auditFilterDetail describes a filter for an audit entry's detail: the
// object and action are pseudonymous ids and enums (AuditFilter checked
// their form), the times are times.
func auditFilterDetail(f store.AuditFilter) string {
	var parts []string
	if f.Object != "" {
		parts = append(parts, "object="+f.Object)
	}
	if f.Action != "" {
		parts = append(parts, "action="+f.Action)
	}
	if !f.From.IsZero() {
		parts = append(parts, "from="+f.From.UTC().Format(time.RFC3339))
	}
	if !f.To.IsZero() {
		parts = append(parts, "to="+f.To.UTC().Format(time.RFC3339))
	}
	return strings.Join(parts, " ")
}

// VerifyAudit walks the whole audit trail and checks the hash chain; see
// store.DB.VerifyAudit. Administrators and privacy officers only, others
// get fault.Forbidden; a nil agent is the operator at the command line
// (frist audit verify), who has the database anyway.
func (d *Desk) VerifyAudit(ctx context.Context, a *Agent) (AuditVerification, error) {
	if a != nil && !CanAudit(a) {
		return AuditVerification{}, errAuditForbidden
	}
	return d.db.VerifyAudit(ctx, nil)
}
