package desk

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"

	"frist/internal/clock"
	"frist/internal/privacy"
	"frist/internal/store"
	"frist/internal/store/storetest"
)

// TestPseudonymKey proves that the key is created once, is a key of the
// right size, and is the same for a second desk on the same database (a
// restart or another node), so pseudonyms stay stable.
func TestPseudonymKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, &clock.Test{})
	newDesk := func() *Desk {
		d, err := New(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	first, err := newDesk().pseudonymKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != privacy.PseudonymKeySize || bytes.Equal(first, make([]byte, privacy.PseudonymKeySize)) {
		t.Fatalf("key of %d bytes, want %d random bytes", len(first), privacy.PseudonymKeySize)
	}
	second, err := newDesk().pseudonymKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("a second desk on the same database made another key")
	}
	// A concurrent creator that lost the race gets the stored key.
	var got string
	if err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		got, err = tx.CreateSetting(settingPseudonymKey, "00")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if k, err := decodePseudonymKey(got); err != nil || !bytes.Equal(k, first) {
		t.Errorf("CreateSetting replaced the key: %v", err)
	}
}
