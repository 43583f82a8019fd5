package attachment

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCleanName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ä", 300)
	for _, tc := range []struct{ in, want string }{
		{"Rechnung.pdf", "Rechnung.pdf"},
		{"C:\\Users\\erika\\Rechnung.pdf", "Rechnung.pdf"},
		{"/etc/passwd", "passwd"},
		{"../../secret.txt", "secret.txt"},
		{"..", DefaultName},
		{".", DefaultName},
		{"", DefaultName},
		{"   ", DefaultName},
		{"dir/", DefaultName},
		{"a\x00b\nc\td.txt", "abcd.txt"},
		{"invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"zero\u200Bwidth.txt", "zerowidth.txt"},
		{"  Foto vom Urlaub.jpg  ", "Foto vom Urlaub.jpg"},
		{"bad\xffutf8.txt", "badutf8.txt"},
		{long + ".pdf", strings.Repeat("ä", MaxNameLen-4) + ".pdf"},
		{long, strings.Repeat("ä", MaxNameLen)},
	} {
		if got := CleanName(tc.in); got != tc.want {
			t.Errorf("CleanName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzCleanName holds the cleaner's promises for any input.
func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"Rechnung.pdf", "../../x", "a\\b/c", "\u202Eexe.txt", strings.Repeat("x", 250) + ".tar.gz", "..", " . ", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := CleanName(in)
		if out == "" || out == "." || out == ".." {
			t.Fatalf("CleanName(%q) = %q", in, out)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("CleanName(%q) = %q: invalid UTF-8", in, out)
		}
		if n := utf8.RuneCountInString(out); n > MaxNameLen {
			t.Fatalf("CleanName(%q) has %d characters", in, n)
		}
		if strings.ContainsAny(out, `/\`) {
			t.Fatalf("CleanName(%q) = %q: has a separator", in, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("CleanName(%q) = %q: has %U", in, out, r)
			}
		}
		if out != strings.TrimSpace(out) {
			t.Fatalf("CleanName(%q) = %q: not trimmed", in, out)
		}
		if again := CleanName(out); again != out {
			t.Fatalf("CleanName not idempotent: %q -> %q -> %q", in, out, again)
		}
	})
}

func TestValidate(t *testing.T) {
	t.Parallel()
	t.Run("OK", func(t *testing.T) {
		name, ct, err := Validate("../scan.pdf", []byte("%PDF-1.7\n..."))
		if err != nil || name != "scan.pdf" || ct != "application/pdf" {
			t.Fatalf("got %q %q %v", name, ct, err)
		}
		// The content decides the type, not the name.
		_, ct, _ = Validate("image.png", []byte("<html><script>alert(1)</script>"))
		if ct != "text/html; charset=utf-8" {
			t.Fatalf("sniffed %q", ct)
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		if _, _, err := Validate("a.txt", nil); err != ErrEmpty {
			t.Fatal(err)
		}
	})
	t.Run("ErrFileTooLarge", func(t *testing.T) {
		if _, _, err := Validate("a.bin", make([]byte, MaxFileBytes)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := Validate("a.bin", make([]byte, MaxFileBytes+1)); err != ErrFileTooLarge {
			t.Fatal(err)
		}
	})
	t.Run("CheckSet", func(t *testing.T) {
		if err := CheckSet(MaxFiles, MaxTotalBytes); err != nil {
			t.Fatal(err)
		}
		if err := CheckSet(MaxFiles+1, 10); err != ErrTooMany {
			t.Fatal(err)
		}
		if err := CheckSet(2, MaxTotalBytes+1); err != ErrTotalTooLarge {
			t.Fatal(err)
		}
	})
	if MaxRequestBytes < MaxTotalBytes*4/3 {
		t.Fatalf("MaxRequestBytes %d does not fit the attachments in base64", MaxRequestBytes)
	}
}

func TestStore(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "attachments")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("Guten Tag, anbei die Rechnung.")
	key, err := s.Put(data)
	if err != nil {
		t.Fatal(err)
	}
	if !ValidKey(key) {
		t.Fatalf("key %q", key)
	}
	p, err := s.Path(key)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, key[:2], key[2:4], key); p != want {
		t.Fatalf("path %q, want %q", p, want)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	if di, _ := os.Stat(filepath.Dir(p)); di.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v", di.Mode())
	}
	f, err := s.Open(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(6, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, data[6:]) {
		t.Fatalf("read %q", got)
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Fatalf("%d entries in the leaf directory", len(entries))
	}
	key2, err := s.Put(data)
	if err != nil || key2 == key {
		t.Fatalf("second put: %q %v", key2, err)
	}

	if err := s.Delete(key); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(key); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := s.Open(key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("open deleted: %v", err)
	}

	t.Run("ErrKey", func(t *testing.T) {
		for _, k := range []string{"", "../../../../etc/passwd", strings.Repeat("A", 32), strings.Repeat("g", 32), key + "0", "..%2f" + key[5:], key[:30] + "/."} {
			if _, err := s.Path(k); err == nil {
				t.Errorf("Path(%q) accepted", k)
			}
			if _, err := s.Open(k); err == nil {
				t.Errorf("Open(%q) accepted", k)
			}
			if err := s.Delete(k); err == nil {
				t.Errorf("Delete(%q) accepted", k)
			}
		}
	})
}

func TestDisposition(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"Rechnung.pdf", `attachment; filename="Rechnung.pdf"; filename*=UTF-8''Rechnung.pdf`},
		{"Übersicht März.pdf", `attachment; filename="_bersicht M_rz.pdf"; filename*=UTF-8''%C3%9Cbersicht%20M%C3%A4rz.pdf`},
		{"a\"b;c%.txt", `attachment; filename="a_b;c_.txt"; filename*=UTF-8''a%22b%3Bc%25.txt`},
		{`dir\a.txt`, `attachment; filename="a.txt"; filename*=UTF-8''a.txt`},
		{"x\r\nSet-Cookie: a=b", `attachment; filename="xSet-Cookie: a=b"; filename*=UTF-8''xSet-Cookie%3A%20a%3Db`},
	} {
		if got := Disposition(tc.in); got != tc.want {
			t.Errorf("Disposition(%q) =\n %s\nwant\n %s", tc.in, got, tc.want)
		}
	}
}
