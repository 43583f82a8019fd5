package privacy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// LegalBasis is the GDPR Art. 6 (or Art. 9) basis a request type is
// processed on.
type LegalBasis string

// Legal bases.
const (
	BasisContract   LegalBasis = "contract"            // Art. 6(1)(b)
	BasisInterest   LegalBasis = "legitimate_interest" // Art. 6(1)(f)
	BasisConsent    LegalBasis = "consent"             // Art. 6(1)(a) / 9(2)(a)
	BasisObligation LegalBasis = "legal_obligation"    // Art. 6(1)(c)
)

// Valid reports whether b is a known legal basis.
func (b LegalBasis) Valid() bool {
	switch b {
	case BasisContract, BasisInterest, BasisConsent, BasisObligation:
		return true
	}
	return false
}

// Article returns the GDPR provision of b.
func (b LegalBasis) Article() string {
	switch b {
	case BasisContract:
		return "Art. 6(1)(b) GDPR"
	case BasisInterest:
		return "Art. 6(1)(f) GDPR"
	case BasisConsent:
		return "Art. 6(1)(a) GDPR"
	case BasisObligation:
		return "Art. 6(1)(c) GDPR"
	}
	return ""
}

// Purpose is a reason for processing. Optional purposes (a satisfaction
// survey, say) are asked with separate, unticked checkboxes and are never a
// condition for service (Art. 7(4) GDPR).
type Purpose struct {
	ID          string `yaml:"id" json:"id"`
	Label       Text   `yaml:"label" json:"label"`
	Description Text   `yaml:"description,omitempty" json:"description"`
	Optional    bool   `yaml:"optional,omitempty" json:"optional"`
}

// Notice is a version of the privacy notice (GDPR Art. 13 information).
// A published version is never changed; a change is a new version.
type Notice struct {
	Version string `yaml:"version" json:"version"`
	Text    Text   `yaml:"text" json:"text"`
}

// Hash returns the SHA-256 of the notice's text in lang, hex encoded. It
// proves which words a customer saw.
func (n Notice) Hash(lang string) string {
	sum := sha256.Sum256([]byte(n.Text.In(lang)))
	return hex.EncodeToString(sum[:])
}

// Validate checks that the notice has a version and both texts.
func (n Notice) Validate() error {
	switch {
	case n.Version == "" || len(n.Version) > 40:
		return fmt.Errorf("privacy notice: version must be 1 to 40 characters")
	case n.Text.DE == "" || n.Text.EN == "":
		return fmt.Errorf("privacy notice: text needs German and English")
	}
	return nil
}

// Consent is what a customer confirmed and consented to with one
// submission. It is recorded once and never edited; a later withdrawal is a
// new record.
type Consent struct {
	NoticeVersion string
	NoticeHash    string // Notice.Hash of the text shown
	Language      string // language the notice was shown in
	Accepted      bool   // the notice was confirmed
	At            time.Time
	Purposes      []PurposeConsent // one per optional purpose offered
}

// PurposeConsent records whether an optional purpose was consented to.
type PurposeConsent struct {
	Purpose string
	Granted bool
}
