// Package auth owns who may do what: agent accounts and roles, argon2id
// password hashes, and the random secrets behind sessions, API tokens and
// customers' status links, of which only hashes are stored.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Role is what an agent account may do.
type Role string

// Roles, from least to most privileged for tickets.
const (
	Trainee        Role = "trainee"         // works tickets under supervision; sees less (see privacy)
	Agent          Role = "agent"           // works tickets
	PrivacyOfficer Role = "privacy-officer" // sees everything, handles data subject requests
	Admin          Role = "admin"           // configures the installation
)

// Roles lists all roles.
var Roles = []Role{Admin, Agent, Trainee, PrivacyOfficer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// User is an agent account.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      Role
	CreatedAt time.Time
	Disabled  bool
}

// CanWorkTickets reports whether the user may reply to and change tickets.
func (u *User) CanWorkTickets() bool { return u != nil && !u.Disabled }

// CanSeeInternal reports whether the user may read internal notes.
func (u *User) CanSeeInternal() bool { return u != nil }

// IsAdmin reports whether the user may configure the installation.
func (u *User) IsAdmin() bool { return u != nil && u.Role == Admin }

// argon2id parameters: RFC 9106's second recommended option (64 MiB, 3
// passes) is the basis; one lane per core of a small server.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	if err := CheckPasswordPolicy(password); err != nil {
		return "", err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// ErrWeakPassword is returned for passwords shorter than 12 characters.
var ErrWeakPassword = errors.New("password must have at least 12 characters")

// CheckPasswordPolicy returns ErrWeakPassword for passwords that are too
// short.
func CheckPasswordPolicy(password string) error {
	if len([]rune(password)) < 12 || len(password) > 1024 {
		return ErrWeakPassword
	}
	return nil
}

// VerifyPassword reports whether password matches the PHC-encoded hash.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when an email is unknown, so that a login
// takes as long for unknown accounts as for known ones.
var dummyHash, _ = HashPassword("not a real password, only for timing")

// VerifyDummy spends the time of one password verification.
func VerifyDummy(password string) { VerifyPassword(dummyHash, password) }

// NewSecret returns a random secret of 32 bytes, URL-safe encoded, with an
// optional prefix (e.g. "frist_" for API tokens).
func NewSecret(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret returns the SHA-256 of a secret, hex encoded: what is stored
// for tokens, sessions and status links. Secrets have 256 bits of entropy,
// so a fast hash suffices.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewPassword returns a random one-time password that is easy to type.
func NewPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	out := make([]byte, 0, 23)
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			out = append(out, '-')
		}
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out)
}
