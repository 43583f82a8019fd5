package store

import (
	"strconv"
	"strings"

	"frist/internal/pii"
)

// fmtPII writes the findings of a message as the pii column holds them:
// "kind:action:count" joined by commas, e.g. "iban:flag:1".
func fmtPII(counts []pii.Count) string {
	var b strings.Builder
	for i, c := range counts {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(c.Kind))
		b.WriteByte(':')
		b.WriteString(string(c.Action))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(c.N))
	}
	return b.String()
}

// parsePII reads the pii column; malformed entries are skipped.
func parsePII(s string) []pii.Count {
	if s == "" {
		return nil
	}
	var out []pii.Count
	for _, e := range strings.Split(s, ",") {
		parts := strings.Split(e, ":")
		if len(parts) != 3 {
			continue
		}
		n, err := strconv.Atoi(parts[2])
		if err != nil || n <= 0 {
			continue
		}
		out = append(out, pii.Count{Kind: pii.Kind(parts[0]), Action: pii.Action(parts[1]), N: n})
	}
	return out
}
