package attachment

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// PutUnsynced writes data under a new random storage key like Put, but
// without syncing the file or its directories: a crash may leave a
// partial file or lose it. It is for seeding measurement data only, where
// hundreds of thousands of files would otherwise wait for the disk; never
// use it for a customer's or an agent's file.
func (s *Store) PutUnsynced(data []byte) (string, error) {
	var b [16]byte
	rand.Read(b[:])
	key := hex.EncodeToString(b[:])
	p, _ := s.Path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	return key, nil
}
