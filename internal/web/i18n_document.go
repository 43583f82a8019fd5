package web

// Texts of the page that shows the documents generated from the policy.
func init() {
	addTexts(map[string]text{
		"document_deletion_concept_title": {"Löschkonzept", "Deletion concept"},
		"document_deletion_concept_link":  {"Löschkonzept (nach DIN 66398), aus der geltenden Richtlinie erzeugt", "Deletion concept (after DIN 66398), generated from the policy in force"},
		"document_intro":                  {"Dieses Dokument erzeugt Frist bei jedem Aufruf aus der geltenden Richtlinie; es ändert sich, wenn sich die Richtlinie ändert. Änderungen gehören in die Richtlinie, nicht in das Dokument.", "Frist generates this document from the policy in force on every request; it changes when the policy changes. Changes belong in the policy, not in the document."},
		"document_downloads":              {"Herunterladen", "Download"},
		"document_download_md_de":         {"Markdown, Deutsch", "Markdown, German"},
		"document_download_md_en":         {"Markdown, Englisch", "Markdown, English"},
		"document_download_html_de":       {"HTML-Seite, Deutsch", "HTML page, German"},
		"document_download_html_en":       {"HTML-Seite, Englisch", "HTML page, English"},
	})
}
