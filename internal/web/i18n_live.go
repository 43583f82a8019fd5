package web

// Texts of the dashboard, the live queue and the collision warning.
func init() {
	addTexts(map[string]text{
		"nav_dashboard":          {"Übersicht", "Dashboard"},
		"dashboard_title":        {"Übersicht", "Dashboard"},
		"dashboard_as_of":        {"Stand: %s – aktualisiert sich selbst.", "As of %s – updates itself."},
		"dashboard_caption":      {"Aktive Tickets (neu, offen, wartend) je Abteilung", "Active tickets (new, open, waiting) per department"},
		"dashboard_active":       {"Aktiv", "Active"},
		"dashboard_unassigned":   {"Ohne Zuständige", "Unassigned"},
		"dashboard_due_soon":     {"Fällig in der nächsten Stunde", "Due within the hour"},
		"dashboard_overdue":      {"Überfällig", "Overdue"},
		"dashboard_breaches":     {"SLA-Verletzungen (24 h)", "SLA breaches (24 h)"},
		"dashboard_total":        {"Gesamt", "Total"},
		"dashboard_empty":        {"Keine aktiven Tickets.", "No active tickets."},
		"dashboard_agents":       {"Aktive Tickets je Person", "Active tickets per agent"},
		"dashboard_agents_empty": {"Niemandem sind aktive Tickets zugewiesen.", "Nobody has active tickets assigned."},
		"collision_viewing":      {"%s hat dieses Ticket gerade geöffnet.", "%s is viewing this ticket."},
		"collision_replying":     {"%s bearbeitet dieses Ticket gerade und schreibt eine Antwort.", "%s is replying to this ticket right now."},
	})
}
