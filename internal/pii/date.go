package pii

import "strings"

var months = []struct {
	name  string
	month int
}{
	{"januar", 1}, {"jänner", 1}, {"january", 1}, {"jan", 1},
	{"februar", 2}, {"february", 2}, {"feber", 2}, {"feb", 2},
	{"märz", 3}, {"maerz", 3}, {"march", 3}, {"mär", 3}, {"mar", 3},
	{"april", 4}, {"apr", 4},
	{"mai", 5}, {"may", 5},
	{"juni", 6}, {"june", 6}, {"jun", 6},
	{"juli", 7}, {"july", 7}, {"jul", 7},
	{"august", 8}, {"aug", 8},
	{"september", 9}, {"sept", 9}, {"sep", 9},
	{"oktober", 10}, {"october", 10}, {"okt", 10}, {"oct", 10},
	{"november", 11}, {"nov", 11},
	{"dezember", 12}, {"december", 12}, {"dez", 12}, {"dec", 12},
}

// number reads up to max digits at p.
func number(t string, p, max int) (v, end int) {
	end = p
	for end < len(t) && end-p < max && isDigit(t[end]) {
		v = v*10 + int(t[end]-'0')
		end++
	}
	return v, end
}

func monthName(t string, p int) (m, end int) {
	for _, mo := range months {
		if hasPrefixFold(t[p:], mo.name) {
			e := p + len(mo.name)
			if e < len(t) && t[e] == '.' {
				e++
			} else if e < len(t) && isLetter(t[e]) {
				continue
			}
			return mo.month, e
		}
	}
	return 0, -1
}

func digitEnd(t string, p int) bool { return p >= len(t) || !isDigit(t[p]) }

// parseDate reads a date at p: DD.MM.YYYY, D.M.YY, DD/MM/YYYY, YYYY-MM-DD,
// "3. März 1985", "3 March 1985" or "March 3, 1985".
func parseDate(t string, p int) (int, bool) {
	if p >= len(t) {
		return 0, false
	}
	if !isDigit(t[p]) {
		m, e := monthName(t, p)
		if m == 0 || e >= len(t) || t[e] != ' ' {
			return 0, false
		}
		d, e2 := number(t, e+1, 2)
		if e2 == e+1 || d < 1 || d > 31 {
			return 0, false
		}
		if strings.HasPrefix(t[e2:], ", ") {
			e2 += 2
		} else if e2 < len(t) && t[e2] == ' ' {
			e2++
		} else {
			return 0, false
		}
		y, e3 := number(t, e2, 4)
		if e3-e2 != 4 || !digitEnd(t, e3) || y < 1900 {
			return 0, false
		}
		return e3, true
	}
	a, e := number(t, p, 4)
	if e-p == 4 { // ISO
		if e+1 >= len(t) || t[e] != '-' {
			return 0, false
		}
		m, e2 := number(t, e+1, 2)
		if e2 == e+1 || e2 >= len(t) || t[e2] != '-' || m < 1 || m > 12 {
			return 0, false
		}
		d, e3 := number(t, e2+1, 2)
		if e3 == e2+1 || d < 1 || d > 31 || !digitEnd(t, e3) {
			return 0, false
		}
		return e3, a >= 1900
	}
	if e-p > 2 || a < 1 || a > 31 || e >= len(t) {
		return 0, false
	}
	sep := t[e]
	if sep != '.' && sep != '/' && sep != ' ' {
		return 0, false
	}
	q := e + 1
	if sep == '.' && q < len(t) && t[q] == ' ' {
		q++
	}
	if q < len(t) && !isDigit(t[q]) { // "3. März 1985"
		m, e2 := monthName(t, q)
		if m == 0 || e2 >= len(t) || t[e2] != ' ' {
			return 0, false
		}
		y, e3 := number(t, e2+1, 4)
		if e3-e2-1 != 4 || !digitEnd(t, e3) {
			return 0, false
		}
		return e3, y >= 1900
	}
	if sep == ' ' {
		return 0, false
	}
	m, e2 := number(t, q, 2)
	if e2 == q || m < 1 || m > 12 || e2 >= len(t) || t[e2] != sep {
		return 0, false
	}
	q = e2 + 1
	if sep == '.' && q < len(t) && t[q] == ' ' {
		q++
	}
	_, e3 := number(t, q, 4)
	if (e3-q != 2 && e3-q != 4) || !digitEnd(t, e3) {
		return 0, false
	}
	return e3, true
}
