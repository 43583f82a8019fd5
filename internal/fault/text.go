package fault

// texts holds the German and English text of every validation message key
// that privacy, desk and the HTTP layers put into FieldError.Message, so
// that pages and the API explain an error in the same words.
var texts = map[string][2]string{
	"required":             {"Bitte füllen Sie dieses Feld aus.", "Please fill in this field."},
	"too_long":             {"Der Text ist zu lang.", "The text is too long."},
	"invalid_email":        {"Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org.", "Please enter a valid email address, e.g. name@example.org."},
	"invalid_date":         {"Bitte geben Sie ein gültiges Datum an (JJJJ-MM-TT).", "Please enter a valid date (YYYY-MM-DD)."},
	"invalid_option":       {"Bitte wählen Sie eine der angebotenen Möglichkeiten.", "Please choose one of the options offered."},
	"invalid_format":       {"Das Format stimmt nicht.", "The format is not valid."},
	"invalid_characters":   {"Der Text enthält unzulässige Zeichen.", "The text contains characters that are not allowed."},
	"unknown_field":        {"Dieses Feld ist für dieses Anliegen nicht vorgesehen.", "This field is not part of this request type."},
	"notice_required":      {"Bitte bestätigen Sie, dass Sie den Datenschutzhinweis gelesen haben.", "Please confirm that you have read the privacy notice."},
	"notice_outdated":      {"Der Datenschutzhinweis wurde inzwischen geändert. Bitte lesen und bestätigen Sie die aktuelle Fassung.", "The privacy notice has changed meanwhile. Please read and confirm the current version."},
	"unknown_request_type": {"Dieses Anliegen gibt es nicht. Bitte wählen Sie eines aus der Liste.", "This request type does not exist. Please choose one from the list."},
	"unknown_purpose":      {"Diese Einwilligung wird nicht angeboten.", "This consent is not offered."},
	"invalid_transition":   {"Dieser Statuswechsel ist nicht erlaubt.", "This status change is not allowed."},
	"weak_password":        {"Das Passwort muss mindestens 12 Zeichen haben.", "The password must have at least 12 characters."},
	"email_taken":          {"Für diese E-Mail-Adresse gibt es schon ein Konto.", "An account with this email address exists already."},
	"in_past":              {"Die Zeit darf nicht in der Vergangenheit liegen.", "The time must not be in the past."},
	"invalid_cursor":       {"Diese Seite der Liste ist ungültig. Beginnen Sie von vorn.", "This page of the list is invalid. Please start again."},
	"malformed_json":       {"Der Inhalt ist kein gültiges JSON dieses Formats.", "The body is not valid JSON of the expected shape."},
	"unknown_key":          {"Dieses Feld gibt es hier nicht.", "This field does not exist here."},
	"invalid_type":         {"Der Wert hat den falschen Typ.", "The value has the wrong type."},
	"invalid_time":         {"Bitte geben Sie eine Zeit nach RFC 3339 an, z. B. 2026-11-30T09:00:00+01:00.", "Please give a time in RFC 3339 form, e.g. 2026-11-30T09:00:00+01:00."},
	"before_from":          {"Das Ende muss nach dem Beginn liegen.", "The end must come after the beginning."},
	"period_too_long":      {"Ein Bericht umfasst höchstens ein Jahr.", "A report covers at most a year."},
	"invalid_period":       {"Bitte geben Sie eine Dauer nach ISO 8601 an, z. B. P14D oder PT2H.", "Please give an ISO 8601 duration, e.g. P14D or PT2H."},
}

// Text returns the text of a validation message key in lang ("de" or
// "en"; anything else means German), or "" for an unknown key.
func Text(lang, key string) string {
	t, ok := texts[key]
	if !ok {
		return ""
	}
	if lang == "en" {
		return t[1]
	}
	return t[0]
}
