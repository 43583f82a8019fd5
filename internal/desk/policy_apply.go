package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"frist/internal/audit"
	"frist/internal/fault"
	"frist/internal/policy"
	"frist/internal/privacy"
	"frist/internal/store"
)

// ApplyPolicyAs validates a policy file and puts it in force on behalf of
// the administrator a (nil: the operator at the command line, or Frist
// applying its default). Invalid files change nothing and return a
// fault.Invalid error naming the problem. So does a file that enables an
// outbound integration whose processor is not registered or has no AVV in
// force now, unless the integration's avv_override covers it
// (policy.CheckIntegrations). Each enabled integration that runs under an
// override is recorded in the audit trail (audit.IntegrationOverride) in
// the same transaction, every time a policy relying on it is applied.
func (d *Desk) ApplyPolicyAs(ctx context.Context, a *Agent, body []byte) (*policy.Policy, error) {
	return d.changePolicy(ctx, a, func(*store.Tx) ([]byte, *auditChange, error) { return body, nil, nil },
		func(msg string) error { return &fault.Error{Code: fault.Invalid, Message: "policy: " + msg} })
}

// auditChange is the audit entry of a change of the policy, written with
// it; detail gets the new policy's id appended.
type auditChange struct {
	action, object, detail string
}

// changePolicy applies the policy file that change returns, reading the
// policy in force under the policy lock (store.Tx.LockPolicy) so that no
// concurrent change is lost. A file that does not parse is fault.Invalid;
// one the integration gate refuses gets refused(message). The new
// version, the change's audit entry and the entries of overrides commit
// together, and the policy is in force on this node at once (on others
// within a few seconds, see watchPolicy).
func (d *Desk) changePolicy(ctx context.Context, a *Agent, change func(tx *store.Tx) ([]byte, *auditChange, error), refused func(msg string) error) (*policy.Policy, error) {
	var p *policy.Policy
	var id int64
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.LockPolicy(); err != nil {
			return err
		}
		body, ch, err := change(tx)
		if err != nil {
			return err
		}
		p, err = policy.Parse(body)
		if err != nil {
			return &fault.Error{Code: fault.Invalid, Message: err.Error()}
		}
		if err := d.checkTrainingPolicy(p); err != nil {
			return err
		}
		now := tx.Now()
		if err := p.CheckIntegrations(now); err != nil {
			return refused(err.Error())
		}
		sum := sha256.Sum256(body)
		id, err = tx.SavePolicy(body, hex.EncodeToString(sum[:]), p.Notice)
		if err != nil {
			return err
		}
		version := fmt.Sprintf("policy=%d", id)
		var entries []*audit.Entry
		if ch != nil {
			entries = append(entries, auditEntry(a, ch.action, ch.object, joinDetail(ch.detail, version)))
		}
		for _, in := range p.Overrides(now) {
			entries = append(entries, auditEntry(a, audit.IntegrationOverride, privacy.IntegrationObject(in.ID), overrideDetail(in, version)))
		}
		return tx.AppendAudits(entries)
	})
	if err != nil {
		return nil, err
	}
	d.policy.Store(&loadedPolicy{id: id, p: p})
	return p, nil
}

// overrideDetail describes an override for the audit trail by ids and
// dates: the reason, free text in the policy file, is represented by its
// hash, which ties the entry to the text kept in the policy version.
func overrideDetail(in privacy.Integration, version string) string {
	sum := sha256.Sum256([]byte(in.Override.Reason))
	detail := "processor=" + in.Processor + " " + version + " reason_sha256=" + hex.EncodeToString(sum[:8])
	if in.Override.Until != "" {
		detail += " until=" + in.Override.Until
	}
	return detail
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}
