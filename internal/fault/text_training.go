package fault

// Validation message keys of a training export's choice
// (desk.PlanTrainingExport).
func init() {
	for k, v := range map[string][2]string{
		"unknown_ticket":        {"Mindestens eine Nummer nennt kein Ticket, das zur Auswahl passt und das Sie sehen dürfen.", "At least one number names no ticket that matches the choice and that you may see."},
		"invalid_ticket_number": {"Bitte Ticketnummern wie F-100042 angeben.", "Please give ticket numbers such as F-100042."},
		"nothing_to_export":     {"Kein exportierbares Ticket passt zur Auswahl. Eingeschränkte Tickets und Tickets mit Aufbewahrungssperre werden nie exportiert.", "No ticket that may be exported matches the choice. Restricted tickets and tickets under a legal hold are never exported."},
		"invalid_sample":        {"Bitte eine Anzahl zwischen 1 und 50000 angeben.", "Please give a number between 1 and 50000."},
		"too_many_tickets":      {"Es passen mehr als 50000 Tickets; bitte enger auswählen oder eine zufällige Auswahl angeben.", "More than 50000 tickets match; please narrow the choice or give a random sample."},
	} {
		texts[k] = v
	}
}
