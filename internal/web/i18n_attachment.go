package web

// Texts of attachments: the file inputs, the lists under messages.
func init() {
	addTexts(map[string]text{
		"field_attachments": {"Dateien anhängen", "Attach files"},
		"attachments_help":  {"Bis zu 5 Dateien, je höchstens 10 MB, zusammen höchstens 20 MB.", "Up to 5 files, each at most 10 MB, together at most 20 MB."},
		"attachments_again": {"Bitte wählen Sie Ihre Dateien noch einmal aus: Das Formular behält sie nicht.", "Please choose your files again: the form does not keep them."},
		"attachments_list":  {"Anhänge", "Attachments"},
		"error_too_large":   {"Die Anfrage ist zu groß: Dateien dürfen zusammen höchstens 20 MB groß sein.", "The request is too large: files may be at most 20 MB together."},
	})
}
