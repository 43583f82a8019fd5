package web

import (
	"strings"

	"frist/internal/routing"
)

// Assignment texts: the presence toggle, the agent settings page, and the
// reasons and outcomes of assignment decisions in ticket histories.
func init() {
	addTexts(map[string]text{
		"presence_available":  {"Verfügbar", "Available"},
		"presence_away":       {"Abwesend", "Away"},
		"presence_go_away":    {"Abwesend melden", "Set away"},
		"presence_come_back":  {"Verfügbar melden", "Set available"},
		"presence_label":      {"Anwesenheit: %s", "Presence: %s"},
		"presence_help":       {"Nur verfügbare Mitarbeitende bekommen neue Tickets zugewiesen. Ihre Tickets behalten Sie.", "Only available agents are assigned new tickets. You keep your tickets."},
		"admin_assignment":    {"Zuweisung", "Assignment"},
		"admin_edit":          {"Bearbeiten", "Edit"},
		"admin_edit_named":    {"%s bearbeiten", "Edit %s"},
		"admin_agent_saved":   {"Die Einstellungen von %s sind gespeichert.", "The settings of %s are saved."},
		"admin_no_cap":        {"keine Obergrenze", "no cap"},
		"admin_cap":           {"höchstens %d offen", "at most %d open"},
		"admin_no_skills":     {"keine Fähigkeiten", "no skills"},
		"admin_around_clock":  {"rund um die Uhr", "around the clock"},
		"admin_calendar_gone": {"%s (nicht mehr in der Richtlinie: rund um die Uhr)", "%s (no longer in the policy: around the clock)"},
		"agent_edit_title":    {"Konto bearbeiten", "Edit account"},
		"agent_edit_intro":    {"Wie die Zuweisung dieses Konto berücksichtigt. Die Strategie jeder Abteilung steht in der Richtlinie.", "How assignment treats this account. Each department's strategy is set in the policy."},
		"agent_edit_submit":   {"Speichern", "Save"},
		"agent_edit_back":     {"Zurück zur Verwaltung", "Back to administration"},
		"field_available":     {"Verfügbar für neue Tickets", "Available for new tickets"},
		"field_skills":        {"Fähigkeiten", "Skills"},
		"help_skills":         {"Durch Kommas getrennt, z. B. lang:de, lang:fr. Bei fähigkeitsbasierter Zuweisung bekommt ein Ticket nur, wer alle Fähigkeiten hat, die Anliegen oder Regel verlangen.", "Comma-separated, e.g. lang:de, lang:fr. Under skill-based assignment a ticket goes only to agents with every skill its request type or rule requires."},
		"field_max_open":      {"Höchstens offene Tickets", "Most open tickets"},
		"help_max_open":       {"0 heißt keine Obergrenze. Wer die Grenze erreicht hat, bekommt keine neuen Tickets zugewiesen.", "0 means no cap. Agents at their cap are assigned no new tickets."},
		"field_calendar":      {"Arbeitszeit", "Working hours"},
		"help_calendar":       {"Außerhalb der Zeiten des Kalenders bekommt das Konto keine neuen Tickets.", "Outside the calendar's hours the account gets no new tickets."},
		"help_departments":    {"Keine Auswahl: alle Abteilungen. Zugewiesen wird nur in Abteilungen, die das Konto sehen darf; Auszubildende und Datenschutzbeauftragte nie automatisch.", "None selected: all departments. Tickets are assigned only in departments the account may see; trainees and privacy officers never automatically."},

		"change_assignment":         {"Zuweisung", "Assignment"},
		"assignment_no_agents":      {"niemand: die Abteilung hat keine Mitarbeitenden für Zuweisungen", "nobody: the department has no agents to assign to"},
		"assignment_none_present":   {"niemand: alle abwesend oder außerhalb der Arbeitszeit", "nobody: everyone is away or outside working hours"},
		"assignment_no_skill_match": {"niemand: keine anwesende Person hat alle nötigen Fähigkeiten", "nobody: no present agent has every required skill"},
		"assignment_all_at_cap":     {"niemand: alle haben ihre Obergrenze offener Tickets erreicht", "nobody: everyone holds their cap of open tickets"},
		"history_reason":            {"Grund", "Reason"},
		"reason_strategy":           {"Strategie: %s", "Strategy: %s"},
		"reason_rule":               {"Regel %s", "Rule %s"},
		"reason_request_type":       {"keine Routing-Regel: Abteilung des Anliegens", "no routing rule: the request type's department"},
		"reason_default_department": {"keine Routing-Regel: Standardabteilung", "no routing rule: the default department"},
		"reason_transfer":           {"Abteilungswechsel: die Person darf die neue Abteilung nicht sehen", "Transfer: the assignee may not see the new department"},
		"reason_sla":                {"SLA-Eskalation: %s", "SLA escalation: %s"},
		"strategy_manual":           {"manuell", "manual"},
		"strategy_round_robin":      {"reihum", "round robin"},
		"strategy_least_loaded":     {"geringste Last", "least loaded"},
		"strategy_skill_based":      {"nach Fähigkeiten", "skill based"},
	})
}

// Reason translates the reason of a history entry: "strategy:<name>",
// "rule:<id>", "request_type", "transfer" or "sla:<target>"; others show
// as they are.
func (p page) Reason(reason string) string {
	kind, arg, _ := strings.Cut(reason, ":")
	switch kind {
	case "":
		return ""
	case "strategy":
		if routing.Strategy(arg).Valid() {
			return p.Tf("reason_strategy", p.T("strategy_"+arg))
		}
	case "rule":
		return p.Tf("reason_rule", arg)
	case "transfer":
		return p.T("reason_transfer")
	case "request_type":
		return p.T("reason_request_type")
	case "default_department":
		return p.T("reason_default_department")
	case "sla":
		if _, ok := texts["sla_target_"+arg]; ok {
			return p.Tf("reason_sla", p.T("sla_target_"+arg))
		}
	}
	return reason
}
