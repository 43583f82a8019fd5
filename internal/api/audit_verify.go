package api

// auditVerificationJSON is the result of checking the whole chain:
// entries is how many entries were found intact; broken_at, present only
// when ok is false, is the id of the first entry that breaks the chain.
type auditVerificationJSON struct {
	OK       bool   `json:"ok"`
	Entries  int64  `json:"entries"`
	BrokenAt *int64 `json:"broken_at,omitempty"`
}

// auditVerify walks the whole audit trail and checks its hash chain
// (administrators and privacy officers).
func (a *API) auditVerify(c *call) (any, error) {
	if err := onlyParams(c.r.URL.Query()); err != nil {
		return nil, err
	}
	v, err := a.desk.VerifyAudit(c.r.Context(), c.agent)
	if err != nil {
		return nil, err
	}
	out := auditVerificationJSON{OK: v.OK, Entries: v.Entries}
	if !v.OK {
		out.BrokenAt = &v.BrokenAt
	}
	return out, nil
}
