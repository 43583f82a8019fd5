// Package period parses and applies ISO 8601 durations such as P90D, P6Y,
// PT2H or PT5S, the unit of every target and retention period in Frist's
// policies.
//
// Calendar parts (years, months, days) are added as calendar periods in a
// location, so P1M from 31 January ends on the last day of February
// (month-end clamping, as German civil law counts); time parts are exact
// durations.
package period

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is an ISO 8601 duration. The zero value is an empty period.
type Period struct {
	Years, Months, Weeks, Days int
	Hours, Minutes, Seconds    int
}

// ErrSyntax is returned for text that is not an ISO 8601 duration.
var ErrSyntax = errors.New("not an ISO 8601 duration (e.g. P90D, P6Y, PT2H, PT5S)")

// Parse parses text like "P1Y2M10DT2H30M5S" or "P2W". Fractions and
// negative periods are not supported.
func Parse(s string) (Period, error) {
	var p Period
	if len(s) < 3 || s[0] != 'P' {
		return p, ErrSyntax
	}
	rest := s[1:]
	inTime := false
	seen := false
	for len(rest) > 0 {
		if rest[0] == 'T' {
			if inTime {
				return Period{}, ErrSyntax
			}
			inTime = true
			rest = rest[1:]
			if rest == "" {
				return Period{}, ErrSyntax
			}
			continue
		}
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) || i > 9 {
			return Period{}, ErrSyntax
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil {
			return Period{}, ErrSyntax
		}
		unit := rest[i]
		rest = rest[i+1:]
		var dst *int
		switch {
		case !inTime && unit == 'Y':
			dst = &p.Years
		case !inTime && unit == 'M':
			dst = &p.Months
		case !inTime && unit == 'W':
			dst = &p.Weeks
		case !inTime && unit == 'D':
			dst = &p.Days
		case inTime && unit == 'H':
			dst = &p.Hours
		case inTime && unit == 'M':
			dst = &p.Minutes
		case inTime && unit == 'S':
			dst = &p.Seconds
		default:
			return Period{}, ErrSyntax
		}
		if *dst != 0 {
			return Period{}, ErrSyntax
		}
		*dst = n
		seen = true
	}
	if !seen {
		return Period{}, ErrSyntax
	}
	return p, nil
}

// MustParse is Parse for constants; it panics on bad syntax.
func MustParse(s string) Period {
	p, err := Parse(s)
	if err != nil {
		panic(fmt.Sprintf("period: %q: %v", s, err))
	}
	return p
}

// IsZero reports whether p is empty.
func (p Period) IsZero() bool { return p == Period{} }

// String formats p in ISO 8601.
func (p Period) String() string {
	if p.IsZero() {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteByte('P')
	for _, x := range []struct {
		n int
		u byte
	}{{p.Years, 'Y'}, {p.Months, 'M'}, {p.Weeks, 'W'}, {p.Days, 'D'}} {
		if x.n != 0 {
			b.WriteString(strconv.Itoa(x.n))
			b.WriteByte(x.u)
		}
	}
	if p.Hours != 0 || p.Minutes != 0 || p.Seconds != 0 {
		b.WriteByte('T')
		for _, x := range []struct {
			n int
			u byte
		}{{p.Hours, 'H'}, {p.Minutes, 'M'}, {p.Seconds, 'S'}} {
			if x.n != 0 {
				b.WriteString(strconv.Itoa(x.n))
				b.WriteByte(x.u)
			}
		}
	}
	return b.String()
}

// AddTo returns t plus p, adding calendar parts in loc with month-end
// clamping and time parts as exact durations.
func (p Period) AddTo(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	if p.Years != 0 || p.Months != 0 {
		y, m, d := lt.Date()
		total := int(m) - 1 + p.Months + 12*p.Years
		ny, nm := y+total/12, time.Month(total%12+1)
		if last := daysIn(ny, nm); d > last {
			d = last
		}
		lt = time.Date(ny, nm, d, lt.Hour(), lt.Minute(), lt.Second(), lt.Nanosecond(), loc)
	}
	if days := p.Days + 7*p.Weeks; days != 0 {
		lt = lt.AddDate(0, 0, days)
	}
	d := time.Duration(p.Hours)*time.Hour + time.Duration(p.Minutes)*time.Minute + time.Duration(p.Seconds)*time.Second
	return lt.Add(d).In(t.Location())
}

// Approx returns p as a duration with 365-day years and 30-day months, for
// ordering and display only.
func (p Period) Approx() time.Duration {
	days := 365*p.Years + 30*p.Months + 7*p.Weeks + p.Days
	return time.Duration(days)*24*time.Hour + time.Duration(p.Hours)*time.Hour +
		time.Duration(p.Minutes)*time.Minute + time.Duration(p.Seconds)*time.Second
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MarshalText implements encoding.TextMarshaler.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Period) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return fmt.Errorf("%q: %w", b, err)
	}
	*p = v
	return nil
}
