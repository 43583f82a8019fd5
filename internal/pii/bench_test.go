package pii

import (
	"strings"
	"testing"
)

// message4KiB is a realistic customer message of about 4 KiB with a few
// pieces of personal data in it.
var message4KiB = func() string {
	parts := []string{
		"Sehr geehrte Damen und Herren,\n\n",
		"ich wende mich heute an Sie, weil meine Bestellung vom 03.04.2024 (Bestellnummer 100234567) leider immer noch nicht bei mir angekommen ist. ",
		"Laut Sendungsverfolgung wurde das Paket am 05.04.2024 an den Zusteller übergeben, seitdem gibt es keine Bewegung mehr. ",
		"Ich habe bereits zweimal bei Ihrer Hotline angerufen und wurde jeweils auf später vertröstet. ",
		"Da ich die Ware dringend für ein Geschenk benötige, bitte ich Sie, den Vorgang zu prüfen und mir eine Rückmeldung zu geben.\n\n",
		"Falls eine Lieferung nicht mehr möglich ist, möchte ich vom Kauf zurücktreten. Bitte erstatten Sie den Betrag von 149,90 EUR auf mein Konto ",
		"DE89 3704 0044 0532 0130 00 bei der Commerzbank. Alternativ können Sie die Belastung meiner Kreditkarte 4111 1111 1111 1111 rückgängig machen. ",
		"Die Rechnung mit der Nummer R-2024-0815 liegt mir vor, ebenso die Auftragsbestätigung.\n\n",
		"Sie erreichen mich tagsüber unter Tel. 030 1234567 oder mobil unter +49 171 1234567, am besten zwischen 9 und 17 Uhr. ",
		"Per E-Mail bin ich unter erika.mustermann@example.org erreichbar. ",
		"Für die Kundenkontoverifizierung: Geburtsdatum 12.08.1964, geboren in Köln.\n\n",
	}
	filler := "Ich möchte außerdem darauf hinweisen, dass ich mit dem bisherigen Service sehr zufrieden war und Ihre Produkte gerne weiterempfehle. " +
		"Umso mehr enttäuscht mich der aktuelle Ablauf, zumal ich keine automatische Benachrichtigung über die Verzögerung erhalten habe. "
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p)
	}
	for b.Len() < 4096-200 {
		b.WriteString(filler)
	}
	b.WriteString("\n\nMit freundlichen Grüßen\nErika Mustermann\nHeidestraße 17, 51147 Köln")
	return b.String()[:4096]
}()

func TestBenchmarkMessage(t *testing.T) {
	got := map[Kind]int{}
	for _, f := range Scan(message4KiB) {
		got[f.Kind]++
	}
	want := map[Kind]int{IBAN: 1, PaymentCard: 1, Phone: 2, Email: 1, BirthDate: 1, BirthPlace: 1}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d findings, want %d", k, got[k], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("kinds found: %v", got)
	}
}

func BenchmarkScan4KiB(b *testing.B) {
	b.SetBytes(int64(len(message4KiB)))
	b.ReportAllocs()
	for b.Loop() {
		Scan(message4KiB)
	}
}
