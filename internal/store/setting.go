package store

import (
	"database/sql"
	"errors"
	"fmt"

	"frist/internal/fault"
	"frist/internal/privacy"
)

// Setting returns the value of a setting, or fault.NotFound.
func (tx *Tx) Setting(key string) (string, error) {
	var v string
	err := tx.queryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fault.Errorf(fault.NotFound, "Setting not found.")
	}
	return v, err
}

// SetSetting stores a setting.
func (tx *Tx) SetSetting(key, value string) error {
	_, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// CreateSetting stores a setting unless it exists and returns the value
// in force: the one stored before, or value. Two nodes creating the same
// setting at once agree on one value.
func (tx *Tx) CreateSetting(key, value string) (string, error) {
	if _, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value); err != nil {
		return "", err
	}
	return tx.Setting(key)
}

// SavePolicy appends a policy revision and publishes its privacy notice in
// both languages. A published notice version is never changed: applying a
// different text under a published version fails with fault.Conflict.
func (tx *Tx) SavePolicy(body []byte, sha string, n privacy.Notice) (int64, error) {
	for _, lang := range []string{"de", "en"} {
		// Insert unless published; a node applying the same policy at the
		// same moment makes this a no-op instead of a failure.
		if _, err := tx.exec(`INSERT INTO privacy_notices (version, language, text, sha256, published_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (version, language) DO NOTHING`,
			n.Version, lang, n.Text.In(lang), n.Hash(lang), fmtTime(tx.now)); err != nil {
			return 0, fmt.Errorf("publish notice: %w", err)
		}
		var old string
		if err := tx.queryRow(`SELECT sha256 FROM privacy_notices WHERE version = ? AND language = ?`, n.Version, lang).Scan(&old); err != nil {
			return 0, err
		}
		if old != n.Hash(lang) {
			return 0, fault.Errorf(fault.Conflict, "Privacy notice version %s is published with a different text; give the changed text a new version.", n.Version)
		}
	}
	var id int64
	err := tx.queryRow(`INSERT INTO policies (body, sha256, applied_at) VALUES (?, ?, ?) RETURNING id`, string(body), sha, fmtTime(tx.now)).Scan(&id)
	return id, err
}

// LatestPolicy returns the id and body of the policy in force, or
// fault.NotFound when none was applied.
func (tx *Tx) LatestPolicy() (int64, []byte, error) {
	var id int64
	var body string
	err := tx.queryRow(`SELECT id, body FROM policies ORDER BY id DESC LIMIT 1`).Scan(&id, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fault.Errorf(fault.NotFound, "No policy applied.")
	}
	return id, []byte(body), err
}

// LatestPolicyID returns the id of the policy in force, 0 when none.
func (tx *Tx) LatestPolicyID() (int64, error) {
	var id int64
	err := tx.queryRow(`SELECT COALESCE(MAX(id), 0) FROM policies`).Scan(&id)
	return id, err
}
