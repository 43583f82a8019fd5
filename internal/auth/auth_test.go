package auth

import (
	"strings"
	"testing"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q is not argon2id PHC", h)
	}
	if !VerifyPassword(h, "correct horse battery") {
		t.Error("right password rejected")
	}
	for _, bad := range []string{"", "correct horse batter", "Correct horse battery"} {
		if VerifyPassword(h, bad) {
			t.Errorf("wrong password %q accepted", bad)
		}
	}
	if VerifyPassword("$bcrypt$x", "x") || VerifyPassword("", "") {
		t.Error("malformed hash accepted")
	}
	if _, err := HashPassword("short"); err != ErrWeakPassword {
		t.Errorf("short password: err = %v", err)
	}
	if p := NewPassword(); CheckPasswordPolicy(p) != nil {
		t.Errorf("generated password %q fails the policy", p)
	}
}

func TestSecret(t *testing.T) {
	a, b := NewSecret("frist_"), NewSecret("frist_")
	if a == b || !strings.HasPrefix(a, "frist_") || len(a) < 40 {
		t.Errorf("secrets %q %q", a, b)
	}
	if HashSecret(a) == HashSecret(b) || len(HashSecret(a)) != 64 {
		t.Error("bad secret hash")
	}
}
