package fault

// Validation message keys of attachments (package attachment, desk and
// the API's base64 decoding).
func init() {
	for k, v := range map[string][2]string{
		"empty_file":            {"Die Datei ist leer.", "The file is empty."},
		"file_too_large":        {"Eine Datei darf höchstens 10 MB groß sein.", "A file may be at most 10 MB."},
		"too_many_files":        {"Höchstens 5 Dateien je Nachricht.", "At most 5 files per message."},
		"attachments_too_large": {"Alle Dateien zusammen dürfen höchstens 20 MB groß sein.", "All files together may be at most 20 MB."},
		"invalid_base64":        {"Der Inhalt ist kein gültiges Base64.", "The content is not valid base64."},
	} {
		texts[k] = v
	}
}
