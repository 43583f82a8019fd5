package fault

// Validation message keys of revealing masked data (desk.Reveal).
func init() {
	for k, v := range map[string][2]string{
		"personal_data":  {"Der Grund wird im Prüfprotokoll gespeichert und darf keine personenbezogenen Daten enthalten (keine Namen, Adressen, Nummern).", "The reason is kept in the audit trail and must not contain personal data (no names, addresses, numbers)."},
		"reveal_refused": {"Ihre Rolle darf diese Daten bei diesem Ticket nicht aufdecken.", "Your role may not reveal this data on this ticket."},
		"nothing_masked": {"Von dieser Art ist bei diesem Ticket nichts verdeckt.", "Nothing of this kind is masked on this ticket."},
	} {
		texts[k] = v
	}
}
