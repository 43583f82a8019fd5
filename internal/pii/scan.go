package pii

import "strings"

// scanner walks a text once and collects candidate findings.
type scanner struct {
	text  string
	found []Finding
	// Positions of the most recent context words, used by the kinds that are
	// only personal in context.
	phoneCtx, idCtx, numCtx int
	codes                   []Finding // card security codes, kept only near a card
}

func (s *scanner) add(k Kind, start, end int) {
	s.found = append(s.found, Finding{Kind: k, Start: start, End: end})
}

func (s *scanner) run() {
	t := s.text
	for i := 0; i < len(t); i++ {
		c := t[i]
		var prev byte = ' '
		if i > 0 {
			prev = t[i-1]
		}
		switch {
		case c == '@':
			s.email(i)
		case isDigit(c):
			// not inside a word, after a "+" or in the decimals of "1.234.567"
			if !isAlnum(prev) && prev != '+' && !((prev == '.' || prev == ',') && i > 1 && isDigit(t[i-2])) {
				s.numbers(i)
				if c == '0' && prev != '(' {
					s.phone(i)
				}
			}
		case c == '+' || c == '(':
			if !isAlnum(prev) {
				s.phone(i)
			}
		case isLetter(c) && !isLetter(prev) && !isDigit(prev):
			s.word(i)
		}
	}
	if len(s.codes) > 0 {
		s.keepCodesNearCards()
	}
}

// keepCodesNearCards adds the security codes within 300 bytes of a card.
func (s *scanner) keepCodesNearCards() {
	const near = 300
	for _, c := range s.codes {
		for _, f := range s.found {
			if f.Kind == PaymentCard && c.Start < f.End+near && f.Start < c.End+near {
				s.found = append(s.found, c)
				break
			}
		}
	}
}

// email expands around an '@' at i.
func (s *scanner) email(at int) {
	t := s.text
	start := at
	for start > 0 && emailLocal(t[start-1]) {
		start--
	}
	for start < at && t[start] == '.' {
		start++
	}
	if start == at {
		return
	}
	end := at + 1
	for end < len(t) && (isDigit(t[end]) || t[end]|0x20 >= 'a' && t[end]|0x20 <= 'z' || t[end] == '-' || t[end] == '.') {
		if t[end] == '.' {
			if end == at+1 || t[end-1] == '.' {
				return
			}
		}
		end++
	}
	for end > at+1 && (t[end-1] == '.' || t[end-1] == '-') {
		end--
	}
	lastDot := strings.LastIndexByte(t[at+1:end], '.') + at + 1
	if lastDot == at || lastDot >= end-2 {
		return
	}
	for k := lastDot + 1; k < end; k++ {
		if !(t[k]|0x20 >= 'a' && t[k]|0x20 <= 'z') {
			return
		}
	}
	switch strings.ToLower(t[lastDot+1 : end]) {
	case "png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "txt", "zip", "doc", "docx", "xls", "xlsx":
		return // a file name such as "logo@2x.png"
	}
	s.add(Email, start, end)
}

func emailLocal(c byte) bool {
	return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || strings.IndexByte("._%+-", c) >= 0
}

// cut is a place where a run of digit groups may end.
type cut struct {
	end, digits int
	seps        uint8 // separators used before this cut
}

const (
	sepSpace uint8 = 1 << iota
	sepDash
	sepDot
	sepSlash
)

// numbers looks at a run of digit groups starting at i for card numbers, tax
// IDs and AHV numbers.
func (s *scanner) numbers(i int) {
	t := s.text
	var d [20]byte
	var cuts [20]cut
	nd, nc := 0, 0
	var seps uint8
	j := i
	for {
		if j == len(t) {
			cuts[nc] = cut{end: j, digits: nd, seps: seps}
			nc++
			break
		}
		c := t[j]
		if isDigit(c) {
			if nd == len(d) {
				break // too long for any identifier here
			}
			d[nd] = c
			nd++
			j++
			continue
		}
		if isLetter(c) {
			break // a group glued to letters is a code, not an identifier
		}
		cuts[nc] = cut{end: j, digits: nd, seps: seps}
		nc++
		var sb uint8
		switch c {
		case ' ':
			sb = sepSpace
		case '-':
			sb = sepDash
		case '.':
			sb = sepDot
		case '/':
			sb = sepSlash
		}
		if sb == 0 || j+1 >= len(t) || !isDigit(t[j+1]) || nc == len(cuts) {
			break
		}
		seps |= sb
		j++
	}
	if nd < 11 {
		return
	}
	for k := nc - 1; k >= 0; k-- {
		c := cuts[k]
		ds := string(d[:c.digits])
		switch {
		case c.digits >= 13 && c.digits <= 19 && c.seps&^(sepSpace|sepDash) == 0 && cardIssuer(ds) && luhn(ds) &&
			(c.digits != 13 || !ean13(ds)): // a 13-digit product barcode (EAN) is more likely than an old Visa card
			s.add(PaymentCard, i, c.end)
		case c.digits == 13 && c.seps&^(sepSpace|sepDot) == 0 && ds[:3] == "756" && ean13(ds):
			s.add(AHV, i, c.end)
		case c.digits == 11 && c.seps&^sepSpace == 0 && validTaxDigits(ds):
			s.add(TaxID, i, c.end)
		}
	}
}

// phone reads a German, Swiss or Austrian phone number starting at i.
func (s *scanner) phone(i int) {
	t := s.text
	var d [16]byte
	nd := 0
	j := i
	lastDigit := -1
	run := 0 // consecutive separators
	for j < len(t) {
		c := t[j]
		if isDigit(c) {
			if nd == len(d) {
				return
			}
			d[nd] = c
			nd++
			lastDigit = j
			run = 0
		} else if c == '+' && j == i || c == '(' || c == ')' || c == ' ' || c == '/' || c == '-' {
			run++
			if run > 3 || c == '+' && j != i {
				break
			}
		} else {
			break
		}
		j++
	}
	if lastDigit < 0 || (lastDigit+1 < len(t) && isLetter(t[lastDigit+1])) {
		return
	}
	end := lastDigit + 1
	num := string(d[:nd])
	intl := t[i] == '+' || strings.HasPrefix(num, "00") && t[i] == '0'
	if intl {
		if t[i] == '0' {
			num = num[2:]
		}
		if len(num) < 3 {
			return
		}
		cc, nsn := num[:2], num[2:]
		if nsn[0] == '0' { // "+49 (0)30 ..."
			nsn = nsn[1:]
		}
		if len(nsn) == 0 || nsn[0] == '0' {
			return
		}
		ok := false
		switch cc {
		case "49":
			ok = len(nsn) >= 6 && len(nsn) <= 13
		case "41":
			ok = len(nsn) == 9
		case "43":
			ok = len(nsn) >= 6 && len(nsn) <= 13
		}
		if ok {
			s.add(Phone, i, end)
		}
		return
	}
	if len(num) < 7 || len(num) > 12 || num[0] != '0' || num[1] == '0' {
		return
	}
	ctx := i-s.phoneCtx <= 40
	if !ctx && i-s.numCtx <= 30 {
		return // "Bestellnummer 0815 4711"
	}
	mobile := strings.HasPrefix(num, "015") || strings.HasPrefix(num, "016") || strings.HasPrefix(num, "017") ||
		(len(num) == 10 && num[1] == '7' && num[2] >= '5') || // Swiss mobile
		(num[1] == '6' && num[2] >= '4') // Austrian mobile
	if ctx || mobile || t[i] == '(' {
		s.add(Phone, i, end)
	}
}

// word handles a word start at i: IBANs, ID card numbers and context words.
func (s *scanner) word(i int) {
	t := s.text
	if i+3 < len(t) && isDigit(t[i+2]) && isDigit(t[i+3]) && t[i]|0x20 >= 'a' && t[i]|0x20 <= 'z' && t[i+1]|0x20 >= 'a' && t[i+1]|0x20 <= 'z' {
		s.iban(i)
	}
	if isUpper(t[i]) && idAlphabetLetter[t[i]-'A'] {
		s.idCard(i)
	}
	c := lower(t[i])
	if c < 'a' || c > 'z' {
		return
	}
	for _, k := range keywordsByLetter[c-'a'] {
		if !hasPrefixFold(t[i:], k.word) {
			continue
		}
		end := i + len(k.word)
		if k.whole && end < len(t) && isAlnum(t[end]) {
			continue
		}
		switch k.kind {
		case ctxPhone:
			s.phoneCtx = end
		case ctxID:
			s.idCtx = end
		case ctxNumber:
			s.numCtx = end
		case BirthDate:
			s.birthDate(end)
		case BirthPlace:
			s.birthPlace(end)
		case CardCode:
			s.cardCode(end)
		}
		return
	}
}

func (s *scanner) iban(i int) {
	t := s.text
	cc := string([]byte{t[i] &^ 0x20, t[i+1] &^ 0x20})
	want := ibanLength[cc]
	if want == 0 {
		return
	}
	var b [34]byte
	n := 0
	j := i
	for j < len(t) && n < want {
		c := t[j]
		switch {
		case isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z':
			if c >= 'a' {
				c &^= 0x20
			}
			b[n] = c
			n++
		case c == ' ' && n%4 == 0 && j+1 < len(t) && isAlnum(t[j+1]):
		default:
			return
		}
		j++
	}
	if n != want || (j < len(t) && isAlnum(t[j])) {
		return
	}
	if validIBANBytes(b[:n]) {
		s.add(IBAN, i, j)
	}
}

func (s *scanner) idCard(i int) {
	t := s.text
	if i+9 > len(t) {
		return
	}
	digits := 0
	for k := i; k < i+9; k++ {
		if !idChar(t[k]) {
			return
		}
		if isDigit(t[k]) {
			digits++
		}
	}
	if digits == 0 {
		return
	}
	end := i + 9
	if end < len(t) && isDigit(t[end]) {
		if end+1 < len(t) && isAlnum(t[end+1]) || t[end] != idCheckDigit(t[i:end]) {
			return
		}
		s.add(IDCard, i, end+1)
		return
	}
	if end < len(t) && isAlnum(t[end]) {
		return
	}
	if i-s.idCtx <= 40 {
		s.add(IDCard, i, end)
	}
}

// Context kinds that only mark a position.
const (
	ctxPhone  Kind = "ctx-phone"
	ctxID     Kind = "ctx-id"
	ctxNumber Kind = "ctx-number"
)

type keyword struct {
	word  string // lower case
	kind  Kind
	whole bool // must end at a word boundary
}

// keywords are matched case-insensitively at word starts; longer words first.
var keywords = []keyword{
	{"geburtsdatum", BirthDate, false},
	{"geb.-datum", BirthDate, false},
	{"geb.datum", BirthDate, false},
	{"geburtstag", BirthDate, false},
	{"geboren am", BirthDate, true},
	{"geboren in", BirthPlace, true},
	{"geburtsort", BirthPlace, false},
	{"geb. am", BirthDate, true},
	{"geb. in", BirthPlace, true},
	{"geb.", BirthDate, false},
	{"born on", BirthDate, true},
	{"born in", BirthPlace, true},
	{"date of birth", BirthDate, true},
	{"birth date", BirthDate, true},
	{"birthday", BirthDate, true},
	{"dob", BirthDate, true},
	{"d.o.b.", BirthDate, false},
	{"place of birth", BirthPlace, true},
	{"birthplace", BirthPlace, true},
	{"cvc2", CardCode, true},
	{"cvv2", CardCode, true},
	{"cvc", CardCode, true},
	{"cvv", CardCode, true},
	{"cid", CardCode, true},
	{"kartenprüfnummer", CardCode, true},
	{"prüfziffer", CardCode, true},
	{"prüfnummer", CardCode, true},
	{"sicherheitscode", CardCode, true},
	{"security code", CardCode, true},
	{"telefon", ctxPhone, false},
	{"tel", ctxPhone, true},
	{"handy", ctxPhone, false},
	{"mobil", ctxPhone, false},
	{"phone", ctxPhone, false},
	{"fon", ctxPhone, true},
	{"fax", ctxPhone, false},
	{"rufnummer", ctxPhone, false},
	{"rückruf", ctxPhone, false},
	{"erreichbar", ctxPhone, false},
	{"anrufen", ctxPhone, false},
	{"festnetz", ctxPhone, false},
	{"whatsapp", ctxPhone, false},
	{"call", ctxPhone, true},
	{"personalausweis", ctxID, false},
	{"ausweis", ctxID, false},
	{"perso", ctxID, true},
	{"id card", ctxID, true},
	{"identity card", ctxID, true},
	{"id-karte", ctxID, true},
	{"bestell", ctxNumber, false},
	{"rechnung", ctxNumber, false},
	{"artikel", ctxNumber, false},
	{"auftrag", ctxNumber, false},
	{"kunden", ctxNumber, false},
	{"vertrag", ctxNumber, false},
	{"nr", ctxNumber, true},
	{"nummer", ctxNumber, true},
	{"order", ctxNumber, false},
	{"invoice", ctxNumber, false},
	{"sku", ctxNumber, true},
	{"art.-nr", ctxNumber, false},
	{"ticket", ctxNumber, false},
	{"sendung", ctxNumber, false},
	{"tracking", ctxNumber, false},
}

// keywordsByLetter indexes keywords by their first letter, keeping their order.
var keywordsByLetter = func() (t [26][]keyword) {
	for _, k := range keywords {
		t[k.word[0]-'a'] = append(t[k.word[0]-'a'], k)
	}
	return t
}()

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for k := 0; k < len(prefix); k++ {
		if lower(s[k]) != prefix[k] {
			return false
		}
	}
	return true
}

// skipFiller skips spaces, colons and short linking words after a keyword.
func (s *scanner) skipFiller(p int, words ...string) int {
	t := s.text
	limit := p + 24
	for p < len(t) && p < limit {
		c := t[p]
		if c == ' ' || c == ':' || c == '=' || c == '-' || c == ',' || c == '\t' || c == '(' || c == ')' {
			p++
			continue
		}
		matched := false
		for _, w := range words {
			if hasPrefixFold(t[p:], w) && (p+len(w) == len(t) || !isAlnum(t[p+len(w)])) {
				p += len(w)
				matched = true
				break
			}
		}
		if !matched {
			break
		}
	}
	return p
}

func (s *scanner) birthDate(p int) {
	p = s.skipFiller(p, "am", "on", "ist", "is", "the", "den", "der", "war", "was")
	if end, ok := parseDate(s.text, p); ok {
		s.add(BirthDate, p, end)
	}
}

func (s *scanner) cardCode(p int) {
	t := s.text
	p = s.skipFiller(p, "ist", "is", "lautet", "code", "nummer", "number", "der", "die", "karte", "card")
	j := p
	for j < len(t) && isDigit(t[j]) {
		j++
	}
	if n := j - p; n < 3 || n > 4 || (j < len(t) && isAlnum(t[j])) {
		return
	}
	s.codes = append(s.codes, Finding{Kind: CardCode, Start: p, End: j})
}

// birthPlace reads one capitalised place name, such as "Zürich",
// "Frankfurt am Main", "St. Gallen" or "Castrop-Rauxel".
func (s *scanner) birthPlace(p int) {
	t := s.text
	p = s.skipFiller(p, "in")
	end := capWord(t, p)
	if end < 0 {
		return
	}
	for {
		switch {
		case end < len(t) && t[end] == '-':
			if e := capWord(t, end+1); e > 0 {
				end = e
				continue
			}
		case end < len(t) && t[end] == ' ':
			q := end + 1
			for _, w := range []string{"am ", "an der ", "im ", "bei ", "ob der ", "in der ", "upon ", "on "} {
				if strings.HasPrefix(t[q:], w) {
					if e := capWord(t, q+len(w)); e > 0 {
						end = e
						goto next
					}
				}
			}
			if t[end-1] == '.' || strings.HasSuffix(t[p:end], "Bad") || strings.HasSuffix(t[p:end], "Sankt") {
				if e := capWord(t, q); e > 0 {
					end = e
					continue
				}
			}
		}
		break
	next:
	}
	s.add(BirthPlace, p, end)
}

// capWord returns the end of a capitalised word at p, or -1.
func capWord(t string, p int) int {
	if p >= len(t) {
		return -1
	}
	switch {
	case isUpper(t[p]):
		p++
	case strings.HasPrefix(t[p:], "Ä"), strings.HasPrefix(t[p:], "Ö"), strings.HasPrefix(t[p:], "Ü"):
		p += 2
	default:
		return -1
	}
	start := p
	for p < len(t) && isLetter(t[p]) {
		p++
	}
	if p == start {
		return -1
	}
	if p < len(t) && t[p] == '.' && p-start <= 2 { // "St."
		p++
	}
	return p
}
