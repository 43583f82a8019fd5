package api

import "frist/internal/pii"

// piiJSON is one kind of personal data found in free text and what the
// policy did with it; never the value.
type piiJSON struct {
	Kind   pii.Kind   `json:"kind"`   // iban, payment_card, card_code, ahv, tax_id, email, phone, birth_date, birth_place, id_card
	Action pii.Action `json:"action"` // mask or flag
	Count  int        `json:"count"`
}

func newPIIJSON(counts []pii.Count) []piiJSON {
	out := make([]piiJSON, 0, len(counts))
	for _, c := range counts {
		out = append(out, piiJSON{Kind: c.Kind, Action: c.Action, Count: c.N})
	}
	return out
}
