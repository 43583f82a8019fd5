package desk_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"frist/internal/desk/desktest"
)

// BenchmarkSubmitRequestPII is BenchmarkSubmitRequest with a card number,
// its security code and an IBAN in the message, which intake masks and
// flags before it stores the request.
func BenchmarkSubmitRequestPII(b *testing.B) {
	e := desktest.New(b)
	ctx := context.Background()
	var n atomic.Int64
	b.SetParallelism(8) // 16 goroutines on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := e.Request("invoice_question")
			r.Email = fmt.Sprintf("kunde%d@example.org", n.Add(1)%5000)
			r.Message = "Guten Tag, meine Karte 4111 1111 1111 1111, CVC 123, wurde für die Rechnung R-2026-117 zweimal belastet. " +
				"Bitte erstatten Sie den doppelten Betrag auf mein Konto DE89 3704 0044 0532 0130 00. " +
				"Sie erreichen mich unter 030 1234567. Mit freundlichen Grüßen, Erika Mustermann"
			if _, err := e.Desk.SubmitRequest(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
