package fault

// Validation message keys of agents' assignment settings (desk.UpdateAgent).
func init() {
	for k, v := range map[string][2]string{
		"invalid_skill":    {"Fähigkeiten bestehen aus Kleinbuchstaben, Ziffern und : . _ - (höchstens 40 Zeichen), z. B. lang:fr.", "Skills consist of lower-case letters, digits and : . _ - (at most 40 characters), e.g. lang:fr."},
		"too_many":         {"Höchstens 20 Fähigkeiten.", "At most 20 skills."},
		"invalid_max_open": {"Bitte eine ganze Zahl von 0 bis 1000 angeben.", "Please give a whole number from 0 to 1000."},
		"unknown_calendar": {"Diesen Kalender gibt es in der Richtlinie nicht.", "The policy has no such calendar."},
	} {
		texts[k] = v
	}
}
