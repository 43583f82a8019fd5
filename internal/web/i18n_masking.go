package web

// Texts of masking by role: the training banner, the masking panel on the
// ticket page and its reveal forms.
func init() {
	addTexts(map[string]text{
		"training_banner":       {"Übungsansicht: Daten pseudonymisiert", "Training view: data pseudonymised"},
		"masking_heading":       {"Datenschutz in dieser Ansicht", "Privacy in this view"},
		"masking_summary":       {"Für Ihre Rolle verdeckt: %s.", "Masked for your role: %s."},
		"masking_masked":        {"%s (als Bezeichnung wie „[Zahlungsart]“)", "%s (as a label such as “[Payment method]”)"},
		"masking_pseudonymised": {"%s (als Pseudonym wie „Kunde 7F3A9C“)", "%s (as a pseudonym such as “Customer 7F3A9C”)"},
		"masking_hidden":        {"%s (ausgeblendet)", "%s (left out)"},
		"masking_audited":       {"Jede Ansicht dieser Daten wird im Audit-Protokoll vermerkt: %s.", "Every view of this data is recorded in the audit trail: %s."},
		"masking_no_files":      {"Anhänge lassen sich nicht verdecken und sind deshalb für Ihre Rolle nicht abrufbar.", "Attachments cannot be masked and are therefore not available to your role."},
		"attachment_withheld":   {"nicht abrufbar", "not available"},
		"reveal_reason_label":   {"Grund für das Aufdecken (%s)", "Reason for revealing (%s)"},
		"reveal_help":           {"Wird mit Ihrem Namen, der Uhrzeit und der Art der Daten im Audit-Protokoll vermerkt – nennen Sie darin keine personenbezogenen Daten.", "Recorded in the audit trail with your name, the time and the kind of data – do not include personal data."},
		"reveal_what":           {"Was aufdecken?", "What to reveal?"},
		"reveal_all":            {"Alles dieser Art", "Everything of this kind"},
		"reveal_button":         {"Aufdecken", "Reveal"},
		"reveal_done":           {"Aufgedeckt und im Audit-Protokoll vermerkt: %s. Die Werte werden nur in dieser Ansicht gezeigt.", "Revealed and recorded in the audit trail: %s. The values are shown in this view only."},
		"reveal_category":       {"Art der Daten", "Kind of data"},
		"reveal_reason":         {"Grund", "Reason"},
		"reveal_field":          {"Feld", "Field"},
	})
}
