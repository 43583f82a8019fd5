package pii

// ibanLength holds the IBAN length per country for the SEPA countries and
// a few neighbours.
var ibanLength = map[string]int{
	"AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24,
	"DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
	"GB": 22, "GI": 23, "GL": 18, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
	"IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
	"MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24,
	"SI": 19, "SK": 24, "SM": 27, "VA": 22,
}

// ValidIBAN reports whether s is an IBAN of a known country with the right
// length and mod-97 checksum. Spaces are ignored and case does not matter.
func ValidIBAN(s string) bool {
	var b [40]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			continue
		}
		if !isDigit(c) && !(c|0x20 >= 'a' && c|0x20 <= 'z') {
			return false
		}
		if n == len(b) {
			return false
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		b[n] = c
		n++
	}
	return validIBANBytes(b[:n])
}

// validIBANBytes checks an upper-case IBAN without spaces.
func validIBANBytes(b []byte) bool {
	if len(b) < 4 || !isUpper(b[0]) || !isUpper(b[1]) || !isDigit(b[2]) || !isDigit(b[3]) {
		return false
	}
	if ibanLength[string(b[:2])] != len(b) {
		return false
	}
	rem := 0
	for k := 0; k < len(b); k++ {
		c := b[(k+4)%len(b)]
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case isUpper(c):
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// ValidLuhn reports whether s (digits, optionally with spaces or dashes)
// has at least two digits and passes the Luhn check.
func ValidLuhn(s string) bool {
	d, ok := digitsOnly(s, " -")
	return ok && len(d) >= 2 && luhn(d)
}

func luhn(d string) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// cardIssuer reports whether the digits start with a known card issuer
// prefix and have a length that issuer uses.
func cardIssuer(d string) bool {
	n := len(d)
	p2 := int(d[0]-'0')*10 + int(d[1]-'0')
	p3 := p2*10 + int(d[2]-'0')
	p4 := p3*10 + int(d[3]-'0')
	switch {
	case d[0] == '4': // Visa
		return n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720: // Mastercard
		return n == 16
	case p2 == 34 || p2 == 37: // American Express
		return n == 15
	case p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649): // Discover
		return n >= 16 && n <= 19
	case p4 >= 3528 && p4 <= 3589: // JCB
		return n >= 16 && n <= 19
	case p3 >= 300 && p3 <= 305, p2 == 36, p2 == 38: // Diners Club
		return n >= 14 && n <= 19
	case p2 == 50, p2 >= 56 && p2 <= 69: // Maestro
		return n >= 16 && n <= 19
	}
	return false
}

// ValidPaymentCard reports whether s is a 13–19 digit card number of a
// known issuer that passes the Luhn check. Spaces and dashes are ignored.
func ValidPaymentCard(s string) bool {
	d, ok := digitsOnly(s, " -")
	return ok && len(d) >= 13 && len(d) <= 19 && cardIssuer(d) && luhn(d)
}

// ValidAHV reports whether s is a Swiss AHV/AVS number: 13 digits starting
// with 756, dots or spaces allowed, with a valid EAN-13 check digit.
func ValidAHV(s string) bool {
	d, ok := digitsOnly(s, ". ")
	return ok && len(d) == 13 && d[:3] == "756" && ean13(d)
}

func ean13(d string) bool {
	sum := 0
	for i := 0; i < 12; i++ {
		v := int(d[i] - '0')
		if i%2 == 1 {
			v *= 3
		}
		sum += v
	}
	return (10-sum%10)%10 == int(d[12]-'0')
}

// ValidTaxID reports whether s is a German tax identification number
// (Steuer-IdNr): 11 digits (spaces allowed), first digit not 0, one digit
// two or three times among the first ten and every other at most once (no
// digit three times in a row), and a valid ISO 7064 MOD 11,10 check digit.
func ValidTaxID(s string) bool {
	d, ok := digitsOnly(s, " ")
	return ok && validTaxDigits(d)
}

func validTaxDigits(d string) bool {
	if len(d) != 11 || d[0] == '0' {
		return false
	}
	var count [10]int
	for i := 0; i < 10; i++ {
		count[d[i]-'0']++
	}
	multi := 0
	for _, c := range count {
		switch {
		case c == 2 || c == 3:
			multi++
		case c > 3:
			return false
		}
	}
	if multi != 1 {
		return false
	}
	for i := 0; i+2 < 10; i++ {
		if d[i] == d[i+1] && d[i] == d[i+2] {
			return false
		}
	}
	product := 10
	for i := 0; i < 10; i++ {
		sum := (int(d[i]-'0') + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = sum * 2 % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return check == int(d[10]-'0')
}

// idAlphabet is the character set of German ID card serial numbers.
const idAlphabet = "0123456789CFGHJKLMNPRTVWXYZ"

func idChar(c byte) bool {
	return isDigit(c) || (isUpper(c) && idAlphabetLetter[c-'A'])
}

var idAlphabetLetter = func() (t [26]bool) {
	for i := 10; i < len(idAlphabet); i++ {
		t[idAlphabet[i]-'A'] = true
	}
	return t
}()

// idCheckDigit computes the ICAO 9303 check digit (weights 7, 3, 1) of the
// nine characters of an ID card serial number.
func idCheckDigit(s string) byte {
	w := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := 0
		if isDigit(c) {
			v = int(c - '0')
		} else {
			v = int(c-'A') + 10
		}
		sum += v * w[i%3]
	}
	return byte('0' + sum%10)
}

// ValidIDCard reports whether s is a German ID card serial number: nine
// characters from the allowed alphabet, optionally followed by the check
// digit, which must then match.
func ValidIDCard(s string) bool {
	if len(s) != 9 && len(s) != 10 {
		return false
	}
	for i := 0; i < 9; i++ {
		if !idChar(s[i]) {
			return false
		}
	}
	return len(s) == 9 || s[9] == idCheckDigit(s[:9])
}
