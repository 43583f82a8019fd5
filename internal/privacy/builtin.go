package privacy

// Purpose ids every installation knows.
const (
	PurposeHandling  = "request_handling" // answering the request
	PurposeBilling   = "billing"          // questions about invoices and payments
	PurposeOperation = "operation"        // running the service securely
)

// BuiltInPurposes returns the purposes every installation knows. None of
// them is optional: they are what the service is for.
func BuiltInPurposes() []Purpose {
	return []Purpose{
		{ID: PurposeHandling, Label: Text{DE: "Bearbeitung Ihrer Anfrage", EN: "Handling your request"}},
		{ID: PurposeBilling, Label: Text{DE: "Klärung von Rechnungen und Zahlungen", EN: "Clarifying invoices and payments"}},
		{ID: PurposeOperation, Label: Text{DE: "Sicherer Betrieb des Dienstes", EN: "Operating the service securely"}},
	}
}

// BuiltIn returns the built-in attributes: the core every form asks and the
// form fields request types commonly declare.
func BuiltIn() []Attribute {
	return []Attribute{
		{ID: AttrName, Core: true, Category: Contact, Purpose: PurposeHandling, Kind: KindText, MaxLen: 200,
			Label: Text{DE: "Name", EN: "Name"},
			Help:  Text{DE: "Damit wir Sie ansprechen können.", EN: "So that we can address you."}},
		{ID: AttrEmail, Core: true, Category: Contact, Purpose: PurposeHandling, Kind: KindEmail, MaxLen: 254,
			Label: Text{DE: "E-Mail-Adresse", EN: "Email address"},
			Help:  Text{DE: "Für unsere Antwort.", EN: "For our answer."}},
		{ID: AttrSubject, Core: true, Category: Content, Purpose: PurposeHandling, Kind: KindText, MaxLen: 200,
			Label: Text{DE: "Betreff", EN: "Subject"}},
		{ID: AttrMessage, Core: true, Category: Content, Purpose: PurposeHandling, Kind: KindTextarea, MaxLen: 20000,
			Label: Text{DE: "Ihre Nachricht", EN: "Your message"}},
		{ID: AttrLanguage, Core: true, Category: Technical, Purpose: PurposeHandling, Kind: KindSelect,
			Options: []Option{{Value: "de", Label: Text{DE: "Deutsch", EN: "German"}}, {Value: "en", Label: Text{DE: "Englisch", EN: "English"}}},
			Label:   Text{DE: "Sprache", EN: "Language"}},

		{ID: "customer_number", Category: Contact, Purpose: PurposeHandling, Kind: KindText, MaxLen: 20, Pattern: `[A-Za-z0-9][A-Za-z0-9-]{0,19}`,
			Label: Text{DE: "Kundennummer", EN: "Customer number"},
			Help:  Text{DE: "Steht auf Ihrer Rechnung; hilft uns, Ihr Konto zu finden.", EN: "Printed on your invoice; helps us find your account."}},
		{ID: "invoice_number", Category: Content, Purpose: PurposeBilling, Kind: KindText, MaxLen: 30, Pattern: `[A-Za-z0-9][A-Za-z0-9/-]{0,29}`,
			Label: Text{DE: "Rechnungsnummer", EN: "Invoice number"}},
		{ID: "contract_number", Category: Content, Purpose: PurposeHandling, Kind: KindText, MaxLen: 30, Pattern: `[A-Za-z0-9][A-Za-z0-9/-]{0,29}`,
			Label: Text{DE: "Vertragsnummer", EN: "Contract number"}},
		{ID: "order_number", Category: Content, Purpose: PurposeHandling, Kind: KindText, MaxLen: 30, Pattern: `[A-Za-z0-9][A-Za-z0-9/-]{0,29}`,
			Label: Text{DE: "Bestellnummer", EN: "Order number"}},
		{ID: "product", Category: Content, Purpose: PurposeHandling, Kind: KindText, MaxLen: 100,
			Label: Text{DE: "Produkt", EN: "Product"}},
		{ID: "phone", Category: Contact, Purpose: PurposeHandling, Kind: KindText, MaxLen: 30, Pattern: `\+?[0-9][0-9 ()/-]{4,29}`,
			Label: Text{DE: "Telefonnummer für Rückruf", EN: "Phone number for a call back"},
			Help:  Text{DE: "Nur wenn Sie einen Rückruf wünschen.", EN: "Only if you would like a call back."}},
		{ID: "payment_method", Category: Sensitive, Purpose: PurposeBilling, Kind: KindSelect,
			Options: []Option{
				{Value: "invoice", Label: Text{DE: "Rechnung", EN: "Invoice"}},
				{Value: "direct_debit", Label: Text{DE: "Lastschrift", EN: "Direct debit"}},
				{Value: "card", Label: Text{DE: "Kreditkarte", EN: "Credit card"}},
				{Value: "twint", Label: Text{DE: "TWINT", EN: "TWINT"}},
			},
			Label: Text{DE: "Zahlungsart", EN: "Payment method"}},
		{ID: "birthplace", Category: Sensitive, Purpose: PurposeHandling, Kind: KindText, MaxLen: 100,
			Label: Text{DE: "Geburtsort", EN: "Place of birth"},
			Help:  Text{DE: "Nur zur Bestätigung Ihrer Identität.", EN: "Only to confirm your identity."}},
		{ID: "birth_date", Category: Sensitive, Purpose: PurposeHandling, Kind: KindDate,
			Label: Text{DE: "Geburtsdatum", EN: "Date of birth"},
			Help:  Text{DE: "Nur zur Bestätigung Ihrer Identität.", EN: "Only to confirm your identity."}},
	}
}
