package audit_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"frist/internal/audit"
)

var at = time.Date(2026, 11, 28, 12, 0, 0, 123456000, time.UTC)

// chain returns n sealed entries starting from "".
func chain(n int) []audit.Entry {
	out := make([]audit.Entry, n)
	prev := ""
	for i := range out {
		out[i] = audit.Entry{ID: int64(i + 1), At: at.Add(time.Duration(i) * time.Second), ActorID: 7, ActorKind: audit.ActorAgent,
			Action: audit.ViewRestricted, Object: "ticket:F-100042", Detail: "reason=dsr"}
		prev = out[i].Seal(prev)
	}
	return out
}

func TestComputeHash(t *testing.T) {
	t.Parallel()
	e := audit.Entry{ID: 1, At: at, ActorKind: audit.ActorSystem, Action: audit.RetentionRun, Object: "run:1", Detail: "deleted=3"}
	h := e.ComputeHash("")
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		t.Fatalf("hash %q is not SHA-256 hex", h)
	}
	if e.ComputeHash("") != h {
		t.Error("hash is not deterministic")
	}
	// The same instant in another zone hashes the same: At is encoded in UTC.
	local := e
	local.At = at.In(time.FixedZone("CET", 3600))
	if local.ComputeHash("") != h {
		t.Error("hash depends on At's time zone")
	}
	// PrevHash and Hash are not inputs.
	withHashes := e
	withHashes.PrevHash, withHashes.Hash = "x", "y"
	if withHashes.ComputeHash("") != h {
		t.Error("hash reads PrevHash or Hash")
	}
	// Every field and the previous hash change the hash.
	for name, change := range map[string]func(*audit.Entry){
		"ID":        func(e *audit.Entry) { e.ID = 2 },
		"At":        func(e *audit.Entry) { e.At = e.At.Add(time.Microsecond) },
		"ActorID":   func(e *audit.Entry) { e.ActorID = 1 },
		"ActorKind": func(e *audit.Entry) { e.ActorKind = audit.ActorAgent },
		"Action":    func(e *audit.Entry) { e.Action = audit.RetentionDelete },
		"Object":    func(e *audit.Entry) { e.Object = "run:2" },
		"Detail":    func(e *audit.Entry) { e.Detail = "deleted=4" },
	} {
		x := e
		change(&x)
		if x.ComputeHash("") == h {
			t.Errorf("changing %s keeps the hash", name)
		}
	}
	if e.ComputeHash(h) == h {
		t.Error("prev is not an input")
	}
	// Field boundaries cannot shift: moving text from one field to the
	// next changes the hash.
	a := audit.Entry{ID: 1, At: at, ActorKind: audit.ActorSystem, Action: "a.b", Object: "x:1", Detail: "2"}
	b := audit.Entry{ID: 1, At: at, ActorKind: audit.ActorSystem, Action: "a.b", Object: "x:", Detail: "12"}
	if a.ComputeHash("") == b.ComputeHash("") {
		t.Error("field boundary is ambiguous")
	}
}

func TestCanonical(t *testing.T) {
	t.Parallel()
	e := audit.Entry{ID: 12, At: at, ActorID: 3, ActorKind: audit.ActorAgent, Action: audit.AuditExport, Object: "audit:all", Detail: ""}
	want := "14:frist-audit-v1\n4:abcd\n2:12\n27:2026-11-28T12:00:00.123456Z\n1:3\n5:agent\n12:audit.export\n9:audit:all\n0:\n"
	if got := string(e.Canonical("abcd")); got != want {
		t.Errorf("canonical encoding:\n got %q\nwant %q", got, want)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tamper func([]audit.Entry) []audit.Entry
		prev   string
		bad    int
	}{
		{"OK", func(es []audit.Entry) []audit.Entry { return es }, "", -1},
		{"Empty", func([]audit.Entry) []audit.Entry { return nil }, "", -1},
		{"Detail", func(es []audit.Entry) []audit.Entry { es[2].Detail = "reason=other"; return es }, "", 2},
		{"Time", func(es []audit.Entry) []audit.Entry { es[3].At = es[3].At.Add(time.Hour); return es }, "", 3},
		{"Actor", func(es []audit.Entry) []audit.Entry { es[0].ActorID = 8; return es }, "", 0},
		{"Removed", func(es []audit.Entry) []audit.Entry { return append(es[:2], es[3:]...) }, "", 2},
		{"Swapped", func(es []audit.Entry) []audit.Entry { es[1], es[2] = es[2], es[1]; return es }, "", 1},
		{"Rehashed", func(es []audit.Entry) []audit.Entry {
			// Whoever changes an entry and recomputes its hash breaks the
			// link of the next one.
			es[1].Object = "ticket:F-100043"
			es[1].Seal(es[0].Hash)
			return es
		}, "", 2},
		{"WrongStart", func(es []audit.Entry) []audit.Entry { return es }, "feed", 0},
		{"Continued", func(es []audit.Entry) []audit.Entry { return es[2:] }, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			es := tt.tamper(chain(5))
			bad, ok := audit.Verify(es, tt.prev)
			if bad != tt.bad || ok != (tt.bad == -1) {
				t.Errorf("Verify = %d, %v; want %d", bad, ok, tt.bad)
			}
		})
	}
	t.Run("ContinuedFromPrev", func(t *testing.T) {
		es := chain(5)
		if bad, ok := audit.Verify(es[2:], es[1].Hash); !ok {
			t.Errorf("continuation breaks at %d", bad)
		}
	})
}

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		detail string
		ok     bool
	}{
		{"", true},
		{"rule=invoices class=P6Y action=delete", true},
		{"messages=3 attachments=1", true},
		{"hold=3 ticket=F-100042", true},
		{strings.Repeat("x", audit.MaxDetail), true},
		{strings.Repeat("x", audit.MaxDetail+1), false},
		{"email=erika@example.org", false},
		{"@", false},
		{"line\nbreak", false},
		{"tab\there", false},
		{"del\x7f", false},
	}
	for _, tt := range tests {
		err := audit.Check(tt.detail)
		if (err == nil) != tt.ok {
			t.Errorf("Check(%.20q) = %v, want ok %v", tt.detail, err, tt.ok)
		}
		if err != nil && !errors.Is(err, audit.ErrDetail) {
			t.Errorf("Check(%.20q) = %v, not ErrDetail", tt.detail, err)
		}
		if err != nil && strings.Contains(err.Error(), "example.org") {
			t.Errorf("error repeats the detail: %v", err)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	ok := audit.Entry{ActorID: 7, ActorKind: audit.ActorAgent, Action: audit.LegalHoldPlace, Object: "hold:3", Detail: "ticket=F-100042"}
	tests := []struct {
		name   string
		change func(*audit.Entry)
		err    error
	}{
		{"OK", func(*audit.Entry) {}, nil},
		{"System", func(e *audit.Entry) { e.ActorKind, e.ActorID = audit.ActorSystem, 0 }, nil},
		{"Customer", func(e *audit.Entry) { e.ActorKind = audit.ActorCustomer }, nil},
		{"ErrSystemWithID", func(e *audit.Entry) { e.ActorKind = audit.ActorSystem }, audit.ErrActorKind},
		{"ErrAgentWithoutID", func(e *audit.Entry) { e.ActorID = 0 }, audit.ErrActorKind},
		{"ErrActorKind", func(e *audit.Entry) { e.ActorKind = "robot" }, audit.ErrActorKind},
		{"ErrAction", func(e *audit.Entry) { e.Action = "delete" }, audit.ErrAction},
		{"ErrObjectEmpty", func(e *audit.Entry) { e.Object = "" }, audit.ErrObject},
		{"ErrObjectEmail", func(e *audit.Entry) { e.Object = "customer:erika@example.org" }, audit.ErrObject},
		{"ErrObjectName", func(e *audit.Entry) { e.Object = "customer:Erika Mustermann" }, audit.ErrObject},
		{"ErrDetail", func(e *audit.Entry) { e.Detail = "to erika@example.org" }, audit.ErrDetail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.change(&e)
			err := e.Validate()
			if !errors.Is(err, tt.err) {
				t.Errorf("Validate = %v, want %v", err, tt.err)
			}
			if err != nil && (strings.Contains(err.Error(), "example.org") || strings.Contains(err.Error(), "Mustermann")) {
				t.Errorf("error repeats personal data: %v", err)
			}
		})
	}
}
