package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"frist/internal/policy"
	"frist/internal/store"
)

// errDocumentForbidden answers agents who may not see the generated
// documents.
var errDocumentForbidden = errRetentionForbidden

// PolicyInForce returns the policy in force as stored in the database,
// with what identifies it in generated documents: its id, the SHA-256 of
// the file as applied and the desk's current time. A policy applied by
// another process since the last reload is read and parsed here, so the
// document never describes an older policy than the database holds.
func (d *Desk) PolicyInForce(ctx context.Context) (*policy.Policy, policy.DocumentMeta, error) {
	var id int64
	var body []byte
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		id, body, err = tx.LatestPolicy()
		return err
	})
	if err != nil {
		return nil, policy.DocumentMeta{}, err
	}
	sum := sha256.Sum256(body)
	meta := policy.DocumentMeta{PolicyID: id, PolicySHA: hex.EncodeToString(sum[:]), GeneratedAt: d.clock.Now()}
	if cur := d.policy.Load(); cur != nil && cur.id == id {
		return cur.p, meta, nil
	}
	p, err := policy.Parse(body)
	if err != nil {
		return nil, meta, fmt.Errorf("policy %d in the database: %w", id, err)
	}
	return p, meta, nil
}

// DeletionConcept generates the deletion concept (Löschkonzept after DIN
// 66398) of the policy in force in German ("de") or English ("en"), for
// administrators and privacy officers; a nil agent is the command line.
// Others get fault.Forbidden. The document holds no personal data, so
// generating it is not audited.
func (d *Desk) DeletionConcept(ctx context.Context, a *Agent, lang string) (policy.Document, error) {
	if a != nil && !mayManageRetention(a) {
		return policy.Document{}, errDocumentForbidden
	}
	p, meta, err := d.PolicyInForce(ctx)
	if err != nil {
		return policy.Document{}, err
	}
	return p.DeletionConcept(lang, meta), nil
}

// MaySeeDocuments reports whether an agent may see the documents generated
// from the policy: administrators and privacy officers.
func MaySeeDocuments(a *Agent) bool { return mayManageRetention(a) }
