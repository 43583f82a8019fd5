package web

// SLA texts: targets, states, history entries and the report.
func init() {
	for k, v := range map[string]text{
		"sla_heading":               {"Servicelevel (SLA)", "Service level (SLA)"},
		"sla_policy":                {"Richtlinie", "Policy"},
		"sla_paused":                {"Pausiert: wartet auf Kundin oder Kunden", "Paused: waiting for the customer"},
		"sla_target":                {"Ziel", "Target"},
		"sla_due":                   {"Frist", "Deadline"},
		"sla_state":                 {"Stand", "State"},
		"sla_target_first_response": {"Erste Antwort", "First response"},
		"sla_target_next_response":  {"Nächste Antwort", "Next response"},
		"sla_target_resolution":     {"Lösung", "Resolution"},
		"sla_state_met":             {"eingehalten", "met"},
		"sla_state_late":            {"verspätet", "late"},
		"sla_state_breached":        {"überschritten", "breached"},
		"sla_state_paused":          {"pausiert", "paused"},
		"sla_state_running":         {"läuft", "running"},
		"sla_warned":                {"Warnung ausgelöst", "warning raised"},
		"sla_done_at":               {"erledigt %s", "done %s"},
		"sla_breached_due":          {"überschritten war die Frist %s", "missed deadline %s"},
		"sla_history":               {"SLA-Verlauf", "SLA history"},
		"sla_event_warning":         {"Warnung", "Warning"},
		"sla_event_breach":          {"Überschreitung", "Breach"},
		"sla_event_escalation":      {"Eskalation", "Escalation"},
		"sla_event_due":             {"Frist %s", "deadline %s"},
		"sla_action_notify_lead":    {"Teamleitung benachrichtigt", "department lead notified"},
		"sla_action_raise_priority": {"Priorität erhöht", "priority raised"},
		"sla_action_reassign":       {"neu zugewiesen", "reassigned"},
		"status_answered_late":      {"Später als zugesagt. Bitte entschuldigen Sie die Verzögerung.", "Later than promised. We apologise for the delay."},
		"status_due_passed":         {"Die zugesagte Frist ist überschritten. Wir melden uns so schnell wie möglich.", "The promised deadline has passed. We will answer as soon as we can."},
	} {
		if _, dup := texts[k]; dup {
			panic("web: text " + k + " defined twice")
		}
		texts[k] = v
	}
}
