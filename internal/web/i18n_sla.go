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
		"nav_reports":               {"Berichte", "Reports"},
		"report_title":              {"SLA-Bericht", "SLA report"},
		"report_intro":              {"Wie viele Fristen wurden eingehalten? Tickets nach Eingang im Zeitraum, je Abteilung. Auswertungen einzelner Beschäftigter gibt es hier nicht.", "How many deadlines were met? Tickets by the period they came in, per department. There are no figures on individual employees here."},
		"report_from":               {"Von", "From"},
		"report_to":                 {"Bis (einschließlich)", "To (included)"},
		"report_show":               {"Anzeigen", "Show"},
		"report_caption":            {"Eingang vom %s bis %s", "Received from %s to %s"},
		"report_received":           {"Eingegangen", "Received"},
		"report_met":                {"eingehalten", "met"},
		"report_late":               {"verspätet", "late"},
		"report_pending":            {"offen", "pending"},
		"report_share":              {"Quote", "Share met"},
		"report_median":             {"Median", "Median"},
		"report_p90":                {"90 %", "p90"},
		"report_total":              {"Gesamt", "Total"},
		"report_note":               {"Quote = eingehalten / (eingehalten + verspätet). Median und 90 %: Zeit bis zur ersten Antwort (Kalenderzeit).", "Share met = met / (met + late). Median and p90: time to the first answer (wall-clock time)."},
		"report_csv":                {"Als CSV herunterladen", "Download as CSV"},
		"report_json":               {"Als JSON", "As JSON"},
		"unit_days":                 {"T", "d"},
	} {
		if _, dup := texts[k]; dup {
			panic("web: text " + k + " defined twice")
		}
		texts[k] = v
	}
}
