package desk

import (
	"context"
	"strings"

	"frist/internal/fault"
	"frist/internal/privacy"
	"frist/internal/store"
)

// DeletionActions are the actions the deletion log records.
var DeletionActions = []privacy.RetentionAction{privacy.ActionDelete, privacy.ActionAnonymise, privacy.ActionRestrict, privacy.ActionExpireFields}

// DeletionFilter parses the deletion log's filters as query strings and
// forms give them: from and to (days in the organisation's time zone, to
// included, or RFC 3339 times, to excluded, as AuditFilter reads them),
// an action of DeletionActions and a rule id; empty values do not filter.
// Bad values give fault.Invalid naming each field.
func (d *Desk) DeletionFilter(from, to, action, rule string) (store.DeletionFilter, error) {
	var f store.DeletionFilter
	var errs []fault.FieldError
	period, err := d.AuditFilter("", "", from, to)
	if err != nil {
		if fault.Code(err) != fault.Invalid {
			return f, err
		}
		errs = append(errs, fault.FieldsOf(err)...)
	}
	f.From, f.To = period.From, period.To
	f.Action = strings.TrimSpace(action)
	if f.Action != "" && !validDeletionAction(f.Action) {
		errs = append(errs, fault.FieldError{Field: "action", Message: privacy.ErrOption})
	}
	f.Rule = strings.TrimSpace(rule)
	if len(f.Rule) > 100 {
		errs = append(errs, fault.FieldError{Field: "rule", Message: "too_long"})
	}
	if len(errs) > 0 {
		return f, &fault.Error{Code: fault.Invalid, Message: "Please check the filter.", Fields: errs}
	}
	return f, nil
}

func validDeletionAction(s string) bool {
	for _, a := range DeletionActions {
		if string(a) == s {
			return true
		}
	}
	return false
}

// RetentionOverdue returns how many tickets are past their latest
// deletion date and not held (a compliance breach), for the warnings on
// dashboards; 0 for agents who may not manage retention.
func (d *Desk) RetentionOverdue(ctx context.Context, a *Agent) (int, error) {
	if !mayManageRetention(a) {
		return 0, nil
	}
	var s store.RetentionStatus
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		s, err = tx.RetentionStatus(tx.Now())
		return err
	})
	return s.Overdue, err
}
