package loadtest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// RequestType is one entry of GET /api/v1/request-types.
type RequestType struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Fields []Field `json:"fields"`
}

// Field is a form field a request type declares.
type Field struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
	Category string `json:"category"`
	Purpose  string `json:"purpose"`
	// Core fields (name, email, subject, message) are top-level keys of
	// the intake body, not entries of its fields object.
	Core bool `json:"core,omitempty"`
	// Kind and Options are used when the server sends them (for example
	// "date" or "select"); the documented API does not require them.
	Kind    string   `json:"kind,omitempty"`
	Options []Option `json:"options,omitempty"`
}

// Option is one allowed value of a select field. It decodes from either a
// plain JSON string or an object with a "value" member.
type Option struct {
	Value string `json:"value"`
}

// UnmarshalJSON accepts "value" as well as {"value": "value", ...}.
func (o *Option) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		o.Value = s
		return nil
	}
	var obj struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	o.Value = obj.Value
	return nil
}

// PrivacyNotice is the answer of GET /api/v1/privacy-notice.
type PrivacyNotice struct {
	Version  string `json:"version"`
	Language string `json:"language"`
	Text     string `json:"text"`
}

// IntakeRequest is the body of POST /api/v1/requests.
type IntakeRequest struct {
	RequestType string            `json:"request_type"`
	Name        string            `json:"name"`
	Email       string            `json:"email"`
	Subject     string            `json:"subject"`
	Message     string            `json:"message"`
	Fields      map[string]string `json:"fields"`
	Language    string            `json:"language"`
	Consent     Consent           `json:"consent"`
}

// Consent is the consent part of an intake request.
type Consent struct {
	NoticeVersion string   `json:"notice_version"`
	Accepted      bool     `json:"accepted"`
	Purposes      []string `json:"purposes"`
}

// Message length bounds in characters (runes).
const (
	minMessage = 100
	maxMessage = 1500
)

// Generator produces varied, realistic intake request bodies. All people
// are obviously fictitious and all email addresses are at example.org.
// The sequence of requests depends only on the seed, the notice version
// and the request types. A Generator is not safe for concurrent use.
type Generator struct {
	rnd    *rand.Rand
	notice string
	types  []RequestType
	n      int // requests generated so far; makes email addresses unique
}

// NewGenerator returns a generator for the given seed, privacy notice
// version and request types. With no request types, Next uses
// "general_question" without fields.
func NewGenerator(seed uint64, notice string, types []RequestType) *Generator {
	if len(types) == 0 {
		types = []RequestType{{ID: "general_question"}}
	}
	return &Generator{
		rnd:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		notice: notice,
		types:  types,
	}
}

// Next returns the next request.
func (g *Generator) Next() IntakeRequest {
	g.n++
	t := g.types[g.rnd.IntN(len(g.types))]
	lang := "en"
	if g.rnd.IntN(100) < 55 {
		lang = "de"
	}
	p := people[g.rnd.IntN(len(people))]
	fields := make(map[string]string, len(t.Fields))
	for _, f := range t.Fields {
		if f.Core {
			continue
		}
		if f.Required || g.rnd.IntN(2) == 0 {
			fields[f.ID] = g.fieldValue(f, lang)
		}
	}
	tp := topicFor(t.ID)
	if tp < 0 {
		tp = topic(g.rnd.IntN(int(numTopics)))
	}
	txt := texts[tp][langIndex(lang)]
	subject := g.pick(txt.subjects)
	if ref := reference(fields); ref != "" && g.rnd.IntN(3) == 0 {
		subject += " (" + ref + ")"
	}
	return IntakeRequest{
		RequestType: t.ID,
		Name:        p.name,
		Email:       fmt.Sprintf("%s+%d@example.org", p.local, g.n),
		Subject:     subject,
		Message:     g.message(tp, lang, p.name, fields),
		Fields:      fields,
		Language:    lang,
		Consent:     Consent{NoticeVersion: g.notice, Accepted: true, Purposes: []string{}},
	}
}

// fieldValue returns a plausible value for a form field.
func (g *Generator) fieldValue(f Field, lang string) string {
	switch f.ID {
	case "customer_number":
		return "K-" + g.digits(4+g.rnd.IntN(3))
	case "invoice_number":
		return "R-2026-" + g.digits(4+g.rnd.IntN(3))
	case "contract_number":
		return "V-" + g.digits(6)
	case "order_number":
		return "B-" + g.digits(7)
	case "product":
		return g.pick(products)
	case "phone":
		return "+49 30 " + g.digits(7+g.rnd.IntN(2))
	case "payment_method":
		if len(f.Options) == 0 {
			return g.pick([]string{"invoice", "direct_debit", "card"})
		}
	case "birthplace":
		return g.pick([]string{"Musterstadt", "Beispielhausen", "Springfield"})
	}
	switch {
	case len(f.Options) > 0:
		return f.Options[g.rnd.IntN(len(f.Options))].Value
	case f.Kind == "date" || f.ID == "birth_date":
		return fmt.Sprintf("%d-%02d-%02d", 1950+g.rnd.IntN(55), 1+g.rnd.IntN(12), 1+g.rnd.IntN(28))
	}
	return g.pick(plainText[langIndex(lang)])
}

// message assembles a message body of roughly minMessage to maxMessage
// characters from the topic's sentences and some general ones.
func (g *Generator) message(tp topic, lang, name string, fields map[string]string) string {
	li := langIndex(lang)
	txt := texts[tp][li]
	target := minMessage + g.rnd.IntN(maxMessage-minMessage)
	closing := g.pick(closings[li]) + "\n" + name

	var b strings.Builder
	n := utf8.RuneCountInString(closing) + 2 // characters written plus the closing
	write := func(s string) {
		b.WriteString(s)
		n += utf8.RuneCountInString(s)
	}
	write(g.pick(greetings[li]) + "\n\n")
	if v, ok := fields["customer_number"]; ok && g.rnd.IntN(2) == 0 {
		write(fmt.Sprintf(customerRef[li], v) + " ")
	}
	// Sentences about the topic come first, general ones only on demand.
	pool := make([]string, 0, len(txt.sentences)+len(general[li]))
	pool = append(pool, txt.sentences...)
	pool = append(pool, general[li]...)
	own, rest := pool[:len(txt.sentences)], pool[len(txt.sentences):]
	g.rnd.Shuffle(len(own), func(i, j int) { own[i], own[j] = own[j], own[i] })
	g.rnd.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	for i, s := range pool {
		if i > 0 {
			if n >= minMessage && (n >= target || n+1+utf8.RuneCountInString(s) > maxMessage) {
				break
			}
			if g.rnd.IntN(4) == 0 {
				write("\n\n")
			} else {
				write(" ")
			}
		}
		write(s)
	}
	b.WriteString("\n\n")
	b.WriteString(closing)
	return b.String()
}

// digits returns n random decimal digits, the first not zero.
func (g *Generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.rnd.IntN(10))
	}
	if n > 0 && b[0] == '0' {
		b[0] = byte('1' + g.rnd.IntN(9))
	}
	return string(b)
}

func (g *Generator) pick(s []string) string { return s[g.rnd.IntN(len(s))] }

// reference returns a reference number worth quoting in a subject.
func reference(fields map[string]string) string {
	for _, id := range []string{"invoice_number", "order_number", "contract_number"} {
		if v := fields[id]; v != "" {
			return v
		}
	}
	return ""
}

func langIndex(lang string) int {
	if lang == "de" {
		return 0
	}
	return 1
}

// topic is what a message is about.
type topic int

const (
	topicInvoice topic = iota
	topicLogin
	topicDelivery
	topicComplaint
	topicGeneral
	numTopics
)

// topicFor guesses the topic from a request type id, or returns -1 when
// any topic fits.
func topicFor(typeID string) topic {
	id := strings.ToLower(typeID)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(id, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("invoice", "billing", "payment", "rechnung"):
		return topicInvoice
	case has("technical", "login", "account", "problem"):
		return topicLogin
	case has("delivery", "order", "shipping"):
		return topicDelivery
	case has("complaint", "beschwerde"):
		return topicComplaint
	}
	return -1
}

type person struct{ name, local string }

// people are well-known placeholder names, never real customers.
var people = []person{
	{"Erika Mustermann", "erika.mustermann"},
	{"Max Mustermann", "max.mustermann"},
	{"Hans Muster", "hans.muster"},
	{"Jane Doe", "jane.doe"},
	{"John Doe", "john.doe"},
	{"Lieschen Müller", "lieschen.mueller"},
	{"Otto Normalverbraucher", "otto.normalverbraucher"},
	{"Maria Musterfrau", "maria.musterfrau"},
	{"Richard Roe", "richard.roe"},
	{"Jane Roe", "jane.roe"},
	{"Anna Beispiel", "anna.beispiel"},
	{"Peter Beispiel", "peter.beispiel"},
	{"Alex Example", "alex.example"},
	{"Sam Sample", "sam.sample"},
}

var products = []string{
	"Router X200",
	"Kaffeevollautomat Barista 3000",
	"Smart-Home-Zentrale Hub 2",
	"Office Suite Pro",
	"Fitness Tracker Move",
	"Cloud-Speicher 1 TB",
	"Staubsaugerroboter CleanBot S",
	"Noise-Cancelling Headphones NC7",
}

var plainText = [2][]string{
	{"Siehe Nachricht", "Keine Angabe", "Bitte Rückruf", "Wie besprochen"},
	{"See message", "Not sure", "Please call back", "As discussed"},
}

var customerRef = [2]string{"Meine Kundennummer lautet %s.", "My customer number is %s."}

var greetings = [2][]string{
	{"Sehr geehrte Damen und Herren,", "Hallo,", "Guten Tag,", "Liebes Support-Team,"},
	{"Dear Sir or Madam,", "Hello,", "Hi there,", "Dear support team,"},
}

var closings = [2][]string{
	{"Mit freundlichen Grüßen", "Viele Grüße", "Vielen Dank im Voraus und freundliche Grüße", "Beste Grüße"},
	{"Kind regards", "Best regards", "Thanks in advance,", "Many thanks,"},
}

var general = [2][]string{
	{
		"Ich bin schon seit einigen Jahren Kunde und war bisher immer zufrieden.",
		"Über eine kurze Rückmeldung per E-Mail würde ich mich freuen.",
		"Falls Sie noch Unterlagen von mir brauchen, sagen Sie bitte Bescheid.",
		"Ich bin werktags meistens erst ab 17 Uhr erreichbar.",
		"Leider konnte ich auf Ihrer Webseite keine Antwort auf meine Frage finden.",
		"Bitte entschuldigen Sie, falls ich mich an die falsche Stelle gewandt habe.",
		"Ich habe das Anliegen bereits mit einem Kollegen am Telefon besprochen, aber noch keine schriftliche Bestätigung erhalten.",
		"Eine Antwort auf Deutsch wäre mir lieber, Englisch geht zur Not aber auch.",
		"Für die Rückfrage reicht mir eine E-Mail, einen Anruf brauche ich nicht.",
		"Falls die Klärung länger dauert, geben Sie mir bitte kurz Bescheid, damit ich planen kann.",
		"In meinem Kundenkonto finde ich zu diesem Vorgang leider keine Informationen.",
		"Vielen Dank schon einmal für Ihre Mühe und Ihre Geduld mit meiner Anfrage.",
	},
	{
		"I have been a customer for a few years and have always been happy so far.",
		"A short reply by email would be much appreciated.",
		"If you need any documents from me, please let me know.",
		"On weekdays I am usually only available after 5 pm.",
		"Unfortunately I could not find an answer to my question on your website.",
		"Please excuse me if I have contacted the wrong department.",
		"I already discussed this with one of your colleagues on the phone but have not received a written confirmation yet.",
		"A reply in English would be best, although German is fine as well if necessary.",
		"An email is all I need for any follow-up questions; there is no need to call me.",
		"If sorting this out takes longer, please let me know briefly so that I can plan accordingly.",
		"My customer account does not show any information about this matter.",
		"Thank you in advance for your effort and your patience with my request.",
	},
}

// topicText holds the subjects and sentences of one topic in one language.
type topicText struct {
	subjects  []string
	sentences []string
}

// texts is indexed by topic and language (0 German, 1 English).
var texts = [numTopics][2]topicText{
	topicInvoice: {
		{
			subjects: []string{"Frage zu meiner Rechnung", "Rechnung doppelt abgebucht", "Mahnung trotz Zahlung", "Falscher Betrag auf der Rechnung"},
			sentences: []string{
				"Auf meiner letzten Rechnung ist ein Betrag aufgeführt, den ich nicht nachvollziehen kann.",
				"Der Betrag wurde offenbar zweimal von meinem Konto abgebucht.",
				"Ich habe die Rechnung fristgerecht überwiesen, trotzdem habe ich eine Mahnung erhalten.",
				"Könnten Sie mir bitte eine korrigierte Rechnung zusenden?",
				"Die Mehrwertsteuer scheint falsch berechnet worden zu sein.",
				"Bitte erstatten Sie mir den zu viel gezahlten Betrag.",
				"Ich würde außerdem gern auf Zahlung per Lastschrift umstellen.",
				"Die Rechnung für den Vormonat habe ich außerdem nie per Post oder E-Mail erhalten.",
				"Bitte setzen Sie das Mahnverfahren aus, bis die Sache geklärt ist.",
			},
		},
		{
			subjects: []string{"Question about my invoice", "Charged twice", "Reminder despite payment", "Wrong amount on invoice"},
			sentences: []string{
				"My latest invoice lists an amount that I cannot make sense of.",
				"The amount seems to have been debited from my account twice.",
				"I paid the invoice on time but still received a payment reminder.",
				"Could you please send me a corrected invoice?",
				"The VAT appears to have been calculated incorrectly.",
				"Please refund the amount I paid in excess.",
				"I would also like to switch to paying by direct debit.",
				"I also never received last month's invoice, neither by post nor by email.",
				"Please put the dunning process on hold until this has been cleared up.",
			},
		},
	},
	topicLogin: {
		{
			subjects: []string{"Anmeldung nicht möglich", "Passwort zurücksetzen funktioniert nicht", "Fehlermeldung beim Login", "Gerät startet nicht mehr"},
			sentences: []string{
				"Seit gestern kann ich mich nicht mehr in mein Kundenkonto einloggen.",
				"Beim Zurücksetzen des Passworts kommt keine E-Mail bei mir an.",
				"Es erscheint nur die Meldung, dass ein unbekannter Fehler aufgetreten ist.",
				"Ich habe es bereits mit einem anderen Browser und einem anderen Gerät versucht.",
				"Nach dem letzten Update funktioniert das Gerät leider nicht mehr richtig.",
				"Den Neustart habe ich wie in der Anleitung beschrieben durchgeführt.",
				"Können Sie mir sagen, wie ich das Problem beheben kann?",
				"Die Zwei-Faktor-Anmeldung schickt mir keinen Code mehr auf mein Handy.",
				"Ich benötige den Zugang dringend, weil ich sonst nicht arbeiten kann.",
			},
		},
		{
			subjects: []string{"Cannot log in", "Password reset not working", "Error message at login", "Device no longer starts"},
			sentences: []string{
				"Since yesterday I have not been able to log in to my customer account.",
				"When I reset my password, no email ever arrives.",
				"All I see is a message saying that an unknown error has occurred.",
				"I have already tried a different browser and a different device.",
				"Since the last update the device no longer works properly.",
				"I restarted it as described in the manual, without success.",
				"Could you tell me how to fix this problem?",
				"Two-factor login no longer sends a code to my phone.",
				"I urgently need access because I cannot work otherwise.",
			},
		},
	},
	topicDelivery: {
		{
			subjects: []string{"Lieferung noch nicht angekommen", "Paket beschädigt", "Falscher Artikel geliefert", "Frage zur Lieferzeit"},
			sentences: []string{
				"Meine Bestellung sollte laut Bestätigung schon letzte Woche ankommen.",
				"Die Sendungsverfolgung zeigt seit Tagen keinen neuen Status an.",
				"Das Paket kam leider beschädigt bei mir an.",
				"Geliefert wurde ein anderer Artikel als der, den ich bestellt habe.",
				"Bitte teilen Sie mir mit, wann ich mit der Lieferung rechnen kann.",
				"Ich möchte den Artikel gern umtauschen.",
				"Der Zusteller hat angeblich niemanden angetroffen, obwohl ich den ganzen Tag zu Hause war.",
				"Ein Rücksendeetikett lag dem Paket leider nicht bei.",
			},
		},
		{
			subjects: []string{"Delivery has not arrived", "Parcel damaged", "Wrong item delivered", "Question about delivery time"},
			sentences: []string{
				"According to the confirmation my order should have arrived last week.",
				"The tracking page has not shown any new status for days.",
				"Unfortunately the parcel arrived damaged.",
				"The item delivered is not the one I ordered.",
				"Please let me know when I can expect the delivery.",
				"I would like to exchange the item.",
				"The courier claims nobody was home, although I was in all day.",
				"Unfortunately there was no return label in the parcel.",
			},
		},
	},
	topicComplaint: {
		{
			subjects: []string{"Beschwerde über den Kundenservice", "Unzufrieden mit der Bearbeitung", "Reklamation", "Keine Antwort auf meine Anfrage"},
			sentences: []string{
				"Ich habe mich bereits zweimal gemeldet, aber nie eine Antwort erhalten.",
				"Am Telefon wurde mir eine Rückmeldung zugesagt, die nie kam.",
				"Mit der Qualität des Produkts bin ich leider gar nicht zufrieden.",
				"Ich erwarte eine Lösung innerhalb der nächsten zwei Wochen.",
				"So einen Umgang mit Kunden finde ich wirklich enttäuschend.",
				"Bitte prüfen Sie, ob eine Gutschrift möglich ist.",
				"Das Gerät ist bereits das zweite Austauschgerät mit demselben Fehler.",
				"Ich überlege ernsthaft, meinen Vertrag zu kündigen.",
			},
		},
		{
			subjects: []string{"Complaint about customer service", "Unhappy with how my case was handled", "Product complaint", "No reply to my request"},
			sentences: []string{
				"I have already contacted you twice but never received an answer.",
				"I was promised a call back on the phone that never happened.",
				"I am not at all satisfied with the quality of the product.",
				"I expect a solution within the next two weeks.",
				"I find this way of treating customers really disappointing.",
				"Please check whether a credit note is possible.",
				"This is already the second replacement device with the same fault.",
				"I am seriously considering cancelling my contract.",
			},
		},
	},
	topicGeneral: {
		{
			subjects: []string{"Allgemeine Frage", "Frage zu Ihren Leistungen", "Informationen zum Tarifwechsel", "Adressänderung"},
			sentences: []string{
				"Ich hätte eine Frage zu Ihrem aktuellen Angebot.",
				"Gibt es die Möglichkeit, meinen Vertrag in einen günstigeren Tarif zu ändern?",
				"Ich bin umgezogen und möchte meine Adresse aktualisieren.",
				"Wo finde ich die Bedienungsanleitung als PDF?",
				"Bieten Sie auch eine Beratung vor Ort an?",
				"Wie lange beträgt die Kündigungsfrist für meinen Vertrag?",
				"Kann ich meine Rechnungen auch nur noch elektronisch bekommen?",
				"Gibt es für Bestandskunden besondere Konditionen?",
			},
		},
		{
			subjects: []string{"General question", "Question about your services", "Changing my plan", "Change of address"},
			sentences: []string{
				"I have a question about your current offer.",
				"Is it possible to move my contract to a cheaper plan?",
				"I have moved house and would like to update my address.",
				"Where can I find the user manual as a PDF?",
				"Do you also offer on-site consultations?",
				"What is the notice period for my contract?",
				"Can I receive my invoices electronically only?",
				"Are there special terms for existing customers?",
			},
		},
	},
}
