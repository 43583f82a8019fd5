package web

// Training texts: the banner of a training installation and the page
// that exports training datasets.
func init() {
	addTexts(map[string]text{
		"training_installation_banner": {"Schulungsinstallation – alle Daten sind pseudonymisiert und zeitlich verschoben; nichts verlässt diese Installation.", "Training installation – all data is pseudonymised and shifted in time; nothing leaves this installation."},
		"training_title":               {"Schulungsdaten exportieren", "Export training data"},
		"admin_training_link":          {"Schulungsdaten exportieren (für eine Schulungsinstallation)", "Export training data (for a training installation)"},
		"privacy_training_link":        {"Schulungsdaten exportieren", "Export training data"},
		"training_intro":               {"Aus ausgewählten Tickets entsteht ein Schulungsdatensatz, mit dem neue Mitarbeitende in einer eigenen Schulungsinstallation üben. Er kann ohne den Schlüssel dieser Installation keiner Person zugeordnet werden:", "Chosen tickets become a training dataset on which new staff practise in a training installation of their own. Without this installation's key it cannot be linked to anyone:"},
		"training_rule_pseudonyms":     {"Kundinnen, Kunden und Mitarbeitende erscheinen unter Pseudonymen („Kunde 7F3A9C“) – dieselbe Person überall mit demselben; Tickets erhalten neue Nummern.", "Customers and agents appear under pseudonyms (“Customer 7F3A9C”) – the same person with the same one everywhere; tickets get new numbers."},
		"training_rule_sensitive":      {"Sensible Felder (z. B. Geburtsort, Zahlungsart) und alle Anhänge fehlen; Kontaktfelder und Kennungen wie Kunden- oder Rechnungsnummern sind pseudonymisiert.", "Sensitive fields (e.g. place of birth, payment method) and all attachments are left out; contact fields and identifiers such as customer or invoice numbers are pseudonymised."},
		"training_rule_text":           {"Im Freitext werden Namen, Adressen und erkannte personenbezogene Daten ersetzt („[IBAN]“).", "In free text, names, addresses and detected personal data are replaced (“[IBAN]”)."},
		"training_rule_dates":          {"Alle Zeitpunkte sind um dieselbe zufällige Zahl ganzer Wochen verschoben; die Verschiebung wird nicht gespeichert.", "Every time is shifted by the same random number of whole weeks; the shift is not stored."},
		"training_rule_never":          {"Eingeschränkte Tickets (Art. 18 DSGVO) und Tickets mit Aufbewahrungssperre werden nie exportiert. Jeder Export steht im Audit-Protokoll.", "Restricted tickets (GDPR Art. 18) and tickets under a legal hold are never exported. Every export is in the audit trail."},
		"training_in_training":         {"Dies ist eine Schulungsinstallation: Ihre Tickets sind bereits ein Schulungsdatensatz und werden nicht erneut exportiert.", "This is a training installation: its tickets are a training dataset already and are not exported again."},
		"training_choose":              {"Tickets auswählen", "Choose tickets"},
		"training_choose_help":         {"Alle Angaben sind freiwillig und schränken gemeinsam ein; ohne Angaben werden alle exportierbaren Tickets gewählt.", "Every entry is optional and they narrow the choice together; without any, every ticket that may be exported is chosen."},
		"training_tickets":             {"Ticketnummern", "Ticket numbers"},
		"training_tickets_help":        {"Durch Komma oder Leerzeichen getrennt, z. B. F-100042, F-100043.", "Separated by commas or spaces, e.g. F-100042, F-100043."},
		"training_any":                 {"alle", "any"},
		"training_status_help":         {"Keine Auswahl: alle Status.", "None chosen: every status."},
		"training_since":               {"Eingegangen ab (einschließlich)", "Received from (included)"},
		"training_until":               {"Eingegangen bis (einschließlich)", "Received until (included)"},
		"training_sample":              {"Zufällige Auswahl", "Random sample"},
		"training_sample_help":         {"Anzahl Tickets, die zufällig aus den passenden gewählt werden; leer: alle passenden.", "How many of the matching tickets to choose at random; empty: all matching."},
		"training_format":              {"Format", "Format"},
		"training_format_json":         {"JSON-Datensatz (frist-training/1) – für „frist training import“", "JSON dataset (frist-training/1) – for “frist training import”"},
		"training_format_sqlite":       {"SQLite-Datenbank – startet direkt als Schulungsinstallation", "SQLite database – starts as a training installation as it is"},
		"training_language":            {"Sprache der Pseudonyme", "Language of the pseudonyms"},
		"training_submit":              {"Exportieren und herunterladen", "Export and download"},
		"training_submit_help":         {"Der Export wird mit Anzahl und Auswahl im Audit-Protokoll vermerkt.", "The export is recorded in the audit trail with its count and choice."},
		"training_recent":              {"Letzte Exporte", "Latest exports"},
		"training_recent_none":         {"Noch keine Exporte.", "No exports yet."},
		"training_recent_all":          {"Alle Exporte im Audit-Protokoll", "All exports in the audit trail"},
		"audit_action_training_export": {"Schulungsdaten exportiert", "training data exported"},
		"audit_action_training_import": {"Schulungsinstallation angelegt", "training installation made"},
	})
}
