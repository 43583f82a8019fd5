package fault

// Validation message keys of the register of processors
// (privacy.Processor.Validate, privacy.Integration.Validate and desk's
// register use cases).
func init() {
	for k, v := range map[string][2]string{
		"invalid_id":            {"Bitte nur Kleinbuchstaben, Ziffern und _ verwenden, beginnend mit einem Buchstaben, z. B. beispiel_mail.", "Please use lower-case letters, digits and _ only, starting with a letter, e.g. beispiel_mail."},
		"id_taken":              {"Diese Kennung ist schon vergeben.", "This id is taken already."},
		"invalid_country":       {"Bitte einen Ländercode nach ISO 3166-1 angeben, z. B. DE, AT oder CH.", "Please give an ISO 3166-1 country code, e.g. DE, AT or CH."},
		"country_uk":            {"Der ISO-Code des Vereinigten Königreichs ist GB.", "The ISO code of the United Kingdom is GB."},
		"dpf_us_only":           {"Das EU-US Data Privacy Framework gilt nur für Anbieter in den USA (US).", "The EU-US Data Privacy Framework applies to providers in the US only."},
		"before_signed":         {"Das Datum liegt vor der Unterzeichnung des AVV.", "The date lies before the AVV was signed."},
		"until_without_signing": {"Bitte auch angeben, wann der AVV unterzeichnet wurde.", "Please also give the day the AVV was signed."},
		"note_required":         {"Bitte angeben, welche Ausnahme nach Art. 49 Abs. 1 DSGVO gilt.", "Please state which derogation of Art. 49(1) GDPR applies."},
		"invalid_host":          {"Bitte nur den Hostnamen angeben, ggf. mit :Port – ohne https:// und ohne Pfad, z. B. smtp.example.org:587.", "Please give the host name only, with an optional :port – no https:// and no path, e.g. smtp.example.org:587."},
		"duplicate":             {"Dieser Wert ist doppelt angegeben.", "This value is given twice."},
		"id_fixed":              {"Die Kennung eines Auftragsverarbeiters lässt sich nicht ändern.", "A processor's id cannot be changed."},
		"avv_needed":            {"Eine aktive Integration nutzt diesen Auftragsverarbeiter und braucht einen heute gültigen AVV.", "An enabled integration uses this processor and needs an AVV valid today."},
	} {
		texts[k] = v
	}
}
