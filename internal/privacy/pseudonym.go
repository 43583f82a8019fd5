package privacy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// PseudonymKeySize is the length in bytes of the secret key pseudonyms are
// derived with. The key stays in the installation that made the
// pseudonyms; without it a pseudonym cannot be linked back to a person.
const PseudonymKeySize = 32

// Pseudonym kinds: what a pseudonym stands for.
const (
	PseudonymCustomer = "customer"
	PseudonymEmail    = "email"
	PseudonymAgent    = "agent"
)

// Pseudonym returns a stable pseudonym for the object id of the kind, such
// as "Kunde 7F3A9C" for a customer: the same key, kind and id always give
// the same pseudonym, so a trainee recognises the same customer across
// tickets, while nobody without the key can tell who it is. Six hex digits
// (16.7 million values) keep collisions rare in a working set of tickets.
func Pseudonym(key []byte, kind string, id int64, lang string) string {
	return pseudonymLabel(kind, lang) + " " + PseudonymCode(key, kind, id)
}

// PseudonymCode is the six-digit hex code of Pseudonym without its label.
func PseudonymCode(key []byte, kind string, id int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(strconv.FormatInt(id, 10)))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)[:3]))
}

// PseudonymEmailAddress returns a pseudonymous address under the reserved
// domain example.invalid, so that nothing can ever be sent to it.
func PseudonymEmailAddress(key []byte, customerID int64) string {
	return "kunde-" + strings.ToLower(PseudonymCode(key, PseudonymEmail, customerID)) + "@example.invalid"
}

func pseudonymLabel(kind, lang string) string {
	en := lang == "en"
	switch kind {
	case PseudonymAgent:
		if en {
			return "Agent"
		}
		return "Mitarbeiter/in"
	default:
		if en {
			return "Customer"
		}
		return "Kunde"
	}
}
