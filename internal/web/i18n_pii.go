package web

// Texts of personal data in free text: badges on messages and the notices
// after an agent's reply (the customer's notice comes from desk).
func init() {
	addTexts(map[string]text{
		"pii_contains":      {"Diese Nachricht enthält personenbezogene Daten:", "This message contains personal data:"},
		"pii_badge_flag":    {"%s (markiert)", "%s (flagged)"},
		"pii_badge_mask":    {"%s (unkenntlich gemacht)", "%s (masked)"},
		"pii_reply_masked":  {"Vor dem Speichern in Ihrer Nachricht unkenntlich gemacht: %s.", "Masked in your message before it was stored: %s."},
		"pii_reply_flagged": {"Ihre Nachricht enthält %s. Sie wurde gespeichert; bitte prüfen Sie, ob diese Angabe nötig war.", "Your message contains %s. It was stored; please check that this was needed."},
	})
}
