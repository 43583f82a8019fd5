// Package audit owns Frist's audit trail: who saw, changed, exported or
// deleted what, as a hash chain. Each entry's hash covers its own fields
// and the previous entry's hash, so that changing, removing or reordering
// an entry breaks the chain from there on (tamper-evident, not
// tamper-proof: whoever can rewrite the whole table can rewrite the chain;
// an exported copy or the head hash kept elsewhere shows that).
//
// Entries name people only by pseudonymous ids (agent id, customer id,
// ticket number), never by name, email address or content. Check refuses
// details that look like they carry personal data.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Actions the audit trail records. An action is "<area>.<verb>".
const (
	ViewRestricted        = "ticket.view_restricted"  // a privacy officer opened a restricted ticket (GDPR Art. 18)
	LegalHoldPlace        = "legal_hold.place"        // a legal hold was placed on a ticket or customer
	LegalHoldLift         = "legal_hold.lift"         // a legal hold was lifted
	RetentionDelete       = "retention.delete"        // a ticket was deleted when its retention period ended
	RetentionAnonymise    = "retention.anonymise"     // a ticket was anonymised instead of deleted
	RetentionRestrict     = "retention.restrict"      // a ticket's processing was restricted
	RetentionExpireFields = "retention.expire_fields" // single fields were removed ahead of the ticket
	RetentionRecompute    = "retention.recompute"     // deletion dates were recomputed after a rule change
	RetentionRun          = "retention.run"           // a retention sweep ran (detail: counts)
	DeletionLogExport     = "deletion_log.export"     // the deletion log was exported
	AuditExport           = "audit.export"            // the audit trail itself was exported
	// Masking by role (desk/redact.go): views the policy audits, reveals of
	// masked data with their reason, and attachments refused or opened
	// while data of the ticket is masked.
	TicketViewAudited = "ticket.view_audited"       // data of an audited category was shown (detail: categories, via)
	TicketReveal      = "ticket.reveal"             // masked data was revealed (detail: category, field, reason; never the value)
	AttachmentRefused = "ticket.attachment_refused" // an attachment was refused to a viewer who may not see all of the ticket
	AttachmentOpen    = "ticket.attachment_open"    // an attachment was opened while data of the ticket is masked or audited for the viewer
)

// Actions on the register of processors (objects "processor:<id>" and
// "integration:<id>").
const (
	ProcessorCreate = "processor.create" // a processor was added to the register (a new policy version)
	ProcessorUpdate = "processor.update" // a processor's entry was changed
	ProcessorDelete = "processor.delete" // a processor was removed from the register
	// IntegrationOverride records that a policy was applied whose enabled
	// integration sends data to a processor without a valid AVV, relying
	// on the integration's avv_override.
	IntegrationOverride = "integration.avv_override"
)

// Training datasets (objects "training:<export id>" and
// "training:installation").
const (
	TrainingExport = "training.export" // a training dataset was exported (detail: the choice and count, never content)
	TrainingImport = "training.import" // a training installation was made from a dataset (detail: counts)
)

// Actor kinds.
const (
	ActorAgent    = "agent"    // an agent account; ActorID is its user id
	ActorCustomer = "customer" // a customer; ActorID is the customer id
	ActorSystem   = "system"   // Frist itself (sweeper, command line); ActorID is 0
)

// MaxDetail is the longest detail Check accepts, in bytes.
const MaxDetail = 200

// Entry is one line of the audit trail.
type Entry struct {
	ID        int64     // position in the chain: 1, 2, 3, … (covered by the hash)
	At        time.Time // when, in UTC with microsecond precision as stored
	ActorID   int64     // user or customer id; 0 for the system
	ActorKind string    // ActorAgent, ActorCustomer or ActorSystem
	Action    string    // one of the action constants, "<area>.<verb>"
	Object    string    // what was acted on: "ticket:F-100042", "customer:17", "hold:3"
	Detail    string    // ids, counts and enums only, e.g. "rule=invoices class=P6Y"; see Check
	PrevHash  string    // hash of the previous entry; "" for the first
	Hash      string    // ComputeHash(PrevHash)
}

// Errors of Validate and Check.
var (
	ErrActorKind = errors.New("audit: unknown actor kind")
	ErrAction    = errors.New("audit: action must look like area.verb")
	ErrObject    = errors.New("audit: object must look like kind:id")
	ErrDetail    = errors.New("audit: detail may hold only ids, counts and enums")
)

var (
	// Lengths are bounded so that a filter of both fits into a detail
	// (see desk.ExportAudit).
	actionPattern = regexp.MustCompile(`^[a-z][a-z_]{0,19}\.[a-z][a-z_]{0,23}$`)
	objectPattern = regexp.MustCompile(`^[a-z][a-z_]{0,19}:[A-Za-z0-9._:-]{1,64}$`)
)

// ValidAction reports whether s has the form of an action, "area.verb"
// (area up to 20, verb up to 24 lower-case letters and underscores).
func ValidAction(s string) bool { return actionPattern.MatchString(s) }

// ValidObject reports whether s has the form of an object, "kind:id"
// (kind up to 20 lower-case letters and underscores, id up to 64 letters,
// digits and ._:-).
func ValidObject(s string) bool { return objectPattern.MatchString(s) }

// Check returns ErrDetail for a detail that is longer than MaxDetail,
// contains '@' (an email address) or control characters. It is a cheap
// guard against personal data slipping into the trail, not a proof.
func Check(detail string) error {
	if len(detail) > MaxDetail {
		return fmt.Errorf("%w: longer than %d bytes", ErrDetail, MaxDetail)
	}
	if strings.ContainsRune(detail, '@') {
		return fmt.Errorf("%w: contains '@'", ErrDetail)
	}
	for _, r := range detail {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: contains control characters", ErrDetail)
		}
	}
	return nil
}

// Validate checks an entry before it is appended: a known actor kind
// (ActorID 0 exactly for the system), an action "area.verb", an object
// "kind:id" and a detail that passes Check.
func (e *Entry) Validate() error {
	switch e.ActorKind {
	case ActorAgent, ActorCustomer:
		if e.ActorID <= 0 {
			return fmt.Errorf("%w: %s without id", ErrActorKind, e.ActorKind)
		}
	case ActorSystem:
		if e.ActorID != 0 {
			return fmt.Errorf("%w: system with an id", ErrActorKind)
		}
	default:
		return fmt.Errorf("%w: %q", ErrActorKind, e.ActorKind)
	}
	if !actionPattern.MatchString(e.Action) {
		return fmt.Errorf("%w: %q", ErrAction, e.Action)
	}
	if !objectPattern.MatchString(e.Object) {
		return ErrObject // the object is not quoted: it might be what must not be logged
	}
	return Check(e.Detail)
}

// canonical is the version tag at the start of every hashed encoding, so
// that a future encoding cannot collide with this one.
const canonical = "frist-audit-v1"

// Canonical returns the bytes ComputeHash hashes: the version tag, prev
// and the entry's fields in a fixed order (ID, At in UTC RFC 3339 with
// nanoseconds, ActorID, ActorKind, Action, Object, Detail), each as its
// length in bytes, a colon, the value and a newline, so that no choice of
// values can shift a boundary between fields.
func (e Entry) Canonical(prev string) []byte {
	fields := []string{
		canonical,
		prev,
		strconv.FormatInt(e.ID, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.ActorKind,
		e.Action,
		e.Object,
		e.Detail,
	}
	var b []byte
	for _, f := range fields {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, '\n')
	}
	return b
}

// ComputeHash returns the entry's hash given the previous entry's hash:
// SHA-256 over Canonical(prev), lower-case hex. PrevHash and Hash of e are
// not read.
func (e Entry) ComputeHash(prev string) string {
	sum := sha256.Sum256(e.Canonical(prev))
	return hex.EncodeToString(sum[:])
}

// Seal sets PrevHash to prev and Hash to the computed hash, and returns
// the hash: the prev of the next entry.
func (e *Entry) Seal(prev string) string {
	e.PrevHash = prev
	e.Hash = e.ComputeHash(prev)
	return e.Hash
}

// Verify checks that entries continue a chain whose last hash is prev:
// each entry names its predecessor's hash and its own hash matches its
// fields. It returns the index of the first entry that breaks the chain
// and false, or -1 and true. Pass "" as prev for the chain's start.
func Verify(entries []Entry, prev string) (badIndex int, ok bool) {
	for i, e := range entries {
		if e.PrevHash != prev || e.Hash != e.ComputeHash(prev) {
			return i, false
		}
		prev = e.Hash
	}
	return -1, true
}
