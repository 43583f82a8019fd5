package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"frist/internal/fault"
	"frist/internal/privacy"
	"frist/internal/store"
)

// settingPseudonymKey holds the installation's pseudonym key, hex encoded.
// It is created on first use and never shown, exported or logged: whoever
// holds it can link pseudonyms (privacy.Pseudonym) back to customers.
const settingPseudonymKey = "pseudonym_key"

// pseudonymKey returns the installation's secret key for pseudonyms,
// creating it on first use. The key never changes, so it is cached after
// the first read.
func (d *Desk) pseudonymKey(ctx context.Context) ([]byte, error) {
	if k := d.pseudoKey.Load(); k != nil {
		return *k, nil
	}
	var v string
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		v, err = tx.Setting(settingPseudonymKey)
		return err
	})
	if fault.Code(err) == fault.NotFound {
		err = d.db.Write(ctx, func(tx *store.Tx) error {
			var err error
			v, err = pseudonymKeyTx(tx)
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	k, err := decodePseudonymKey(v)
	if err != nil {
		return nil, err
	}
	d.pseudoKey.Store(&k)
	return k, nil
}

// pseudonymKeyTx returns the pseudonym key within a writing transaction,
// creating it when there is none yet, hex encoded as stored.
func pseudonymKeyTx(tx *store.Tx) (string, error) {
	v, err := tx.Setting(settingPseudonymKey)
	if fault.Code(err) != fault.NotFound {
		return v, err
	}
	b := make([]byte, privacy.PseudonymKeySize)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return tx.CreateSetting(settingPseudonymKey, hex.EncodeToString(b))
}

func decodePseudonymKey(v string) ([]byte, error) {
	k, err := hex.DecodeString(v)
	if err != nil || len(k) != privacy.PseudonymKeySize {
		return nil, fmt.Errorf("setting %s: not a key of %d bytes", settingPseudonymKey, privacy.PseudonymKeySize)
	}
	return k, nil
}
