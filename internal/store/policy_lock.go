package store

// LockPolicy serialises changes of the policy: a transaction that reads
// the policy in force to change it (a form editing the register of
// processors) or applies a new one takes this lock first, so that of two
// changes at the same moment the second sees the first instead of
// overwriting it. It upserts a row of settings, which PostgreSQL keeps
// locked until the transaction ends; on SQLite the single writer
// serialises writers anyway.
func (tx *Tx) LockPolicy() error {
	return tx.SetSetting("policy_lock", fmtTime(tx.now))
}
