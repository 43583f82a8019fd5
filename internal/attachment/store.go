package attachment

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Store keeps attachments' bytes on the local disk, one file per
// attachment under a two-level fan-out of its storage key:
// <dir>/ab/cd/abcd…(32 hex digits). Files are mode 0600 in directories of
// mode 0700. A Store is safe for concurrent use; several processes may
// share a directory.
type Store struct {
	dir string
}

// Open returns the store in dir, creating the directory if needed.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("attachment: empty directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create attachment directory: %w", err)
	}
	return &Store{dir: dir}, nil
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// errKey answers a storage key that is not 32 lower-case hex digits.
var errKey = errors.New("attachment: invalid storage key")

// ValidKey reports whether key is a storage key Put could have returned:
// 32 lower-case hex digits (128 random bits).
func ValidKey(key string) bool {
	if len(key) != 32 {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Path returns the file of a storage key. Keys are validated as hex, so
// no key can reach outside the store's directory.
func (s *Store) Path(key string) (string, error) {
	if !ValidKey(key) {
		return "", errKey
	}
	return filepath.Join(s.dir, key[0:2], key[2:4], key), nil
}

// Put writes data under a new random storage key and returns the key.
// When Put returns, the file is durable: it is written to a temporary
// file, synced, renamed into place and its directory synced, so that a
// crash never leaves a partial file under a key.
func (s *Store) Put(data []byte) (key string, err error) {
	var b [16]byte
	rand.Read(b[:])
	key = hex.EncodeToString(b[:])
	p, _ := s.Path(key)
	dir := filepath.Dir(p)
	if err := s.mkdirs(dir); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	if _, err = f.Write(data); err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	if err = f.Sync(); err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	if err = f.Close(); err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	if err = os.Rename(tmp, p); err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	if err = syncDir(dir); err != nil {
		os.Remove(p)
		return "", fmt.Errorf("store attachment: %w", err)
	}
	return key, nil
}

// mkdirs creates the fan-out directories of dir that are missing and
// syncs the parent of each one created, so that the new entries survive a
// crash too.
func (s *Store) mkdirs(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	mid := filepath.Dir(dir)
	for _, d := range []string{mid, dir} {
		if err := os.Mkdir(d, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("store attachment: %w", err)
		}
		if err := syncDir(filepath.Dir(d)); err != nil {
			return fmt.Errorf("store attachment: %w", err)
		}
	}
	return nil
}

// syncDir makes a directory's entries durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Open opens the file of a storage key for reading. A missing file is an
// error wrapping fs.ErrNotExist.
func (s *Store) Open(key string) (io.ReadSeekCloser, error) {
	p, err := s.Path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		// The path holds only the random key, but keep errors short.
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("open attachment: %w", fs.ErrNotExist)
		}
		return nil, fmt.Errorf("open attachment: %w", err)
	}
	return f, nil
}

// Delete removes the file of a storage key. It is idempotent: a file that
// is already gone is no error.
func (s *Store) Delete(key string) error {
	p, err := s.Path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete attachment: %w", err)
	}
	return nil
}

// Stale lists files last written before cutoff: the storage keys of stored
// files and the paths of temporary files a crash left behind in the middle
// of Put. It lets a sweep find files no attachment row names. Anything
// else in the directory is ignored.
func (s *Store) Stale(cutoff time.Time) (keys, temps []string, err error) {
	err = filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed meanwhile
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			return nil
		}
		name := d.Name()
		switch {
		case ValidKey(name):
			keys = append(keys, name)
		case strings.HasPrefix(name, ".tmp-"):
			temps = append(temps, p)
		}
		return nil
	})
	return keys, temps, err
}

// RemoveTemp removes a temporary file Stale reported.
func (s *Store) RemoveTemp(path string) error {
	rel, err := filepath.Rel(s.dir, path)
	if err != nil || strings.HasPrefix(rel, "..") || !strings.HasPrefix(filepath.Base(path), ".tmp-") {
		return errors.New("attachment: not a temporary file of the store")
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove temporary attachment: %w", err)
	}
	return nil
}
