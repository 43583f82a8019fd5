package web

// Audit trail texts: the page, its filter, the chain check and the names
// of the actions.
func init() {
	for k, v := range map[string]text{
		"nav_audit":                            {"Audit-Protokoll", "Audit trail"},
		"audit_title":                          {"Audit-Protokoll", "Audit trail"},
		"audit_intro":                          {"Wer hat was eingesehen, geändert, exportiert oder gelöscht – neueste Einträge zuerst. Das Protokoll nennt Personen nur über Kennungen (Konto-, Kunden- und Ticketnummern), nie über Namen, Adressen oder Inhalte. Jeder Eintrag ist mit dem vorigen verkettet (Hash-Kette): Änderungen, Lücken und Umstellungen fallen bei der Prüfung auf.", "Who saw, changed, exported or deleted what – newest entries first. The trail names people only by ids (account, customer and ticket numbers), never by name, address or content. Each entry is chained to the previous one (hash chain): changes, gaps and reordering show up when the chain is checked."},
		"audit_object":                         {"Objekt", "Object"},
		"audit_object_help":                    {"z. B. ticket:F-100042 oder customer:17", "e.g. ticket:F-100042 or customer:17"},
		"audit_action":                         {"Vorgang", "Action"},
		"audit_any_action":                     {"alle Vorgänge", "all actions"},
		"audit_from":                           {"Von", "From"},
		"audit_to":                             {"Bis (einschließlich)", "To (included)"},
		"audit_filter":                         {"Filtern", "Filter"},
		"audit_caption":                        {"Einträge des Audit-Protokolls", "Entries of the audit trail"},
		"audit_col_id":                         {"Nr.", "No."},
		"audit_col_at":                         {"Zeitpunkt", "Time"},
		"audit_col_actor":                      {"Wer", "Who"},
		"audit_col_action":                     {"Vorgang", "Action"},
		"audit_col_object":                     {"Objekt", "Object"},
		"audit_col_detail":                     {"Einzelheiten", "Details"},
		"audit_col_hash":                       {"Hash", "Hash"},
		"audit_actor_agent":                    {"Konto %d", "Account %d"},
		"audit_actor_customer":                 {"Kunde %d", "Customer %d"},
		"audit_actor_system":                   {"System", "System"},
		"audit_empty":                          {"Keine Einträge.", "No entries."},
		"audit_first":                          {"Neueste Einträge", "Newest entries"},
		"audit_next":                           {"Ältere Einträge", "Older entries"},
		"audit_csv":                            {"Als CSV herunterladen (alle passenden Einträge; der Export wird protokolliert)", "Download as CSV (all matching entries; the export is logged)"},
		"audit_verify":                         {"Kette prüfen", "Verify chain"},
		"audit_verify_help":                    {"Liest das ganze Protokoll und berechnet jeden Hash neu.", "Reads the whole trail and recomputes every hash."},
		"audit_verify_ok":                      {"Die Kette ist intakt: %d Einträge geprüft.", "The chain is intact: %d entries checked."},
		"audit_verify_broken":                  {"Die Kette ist unterbrochen bei Eintrag %d (%d Einträge davor sind intakt). Das Protokoll wurde außerhalb von Frist verändert; bitte Datenschutzbeauftragte und Betrieb informieren.", "The chain is broken at entry %d (%d entries before it are intact). The trail was changed outside Frist; please tell the data protection officer and operations."},
		"audit_action_ticket_view_restricted":  {"eingeschränktes Ticket eingesehen", "restricted ticket viewed"},
		"audit_action_legal_hold_place":        {"Aufbewahrungssperre gesetzt", "legal hold placed"},
		"audit_action_legal_hold_lift":         {"Aufbewahrungssperre aufgehoben", "legal hold lifted"},
		"audit_action_retention_delete":        {"gelöscht (Löschfrist)", "deleted (retention)"},
		"audit_action_retention_anonymise":     {"anonymisiert (Löschfrist)", "anonymised (retention)"},
		"audit_action_retention_restrict":      {"Verarbeitung eingeschränkt", "processing restricted"},
		"audit_action_retention_expire_fields": {"Felder gelöscht (Löschfrist)", "fields removed (retention)"},
		"audit_action_retention_recompute":     {"Löschtermine neu berechnet", "deletion dates recomputed"},
		"audit_action_retention_run":           {"Löschlauf", "retention run"},
		"audit_action_deletion_log_export":     {"Löschprotokoll exportiert", "deletion log exported"},
		"audit_action_audit_export":            {"Audit-Protokoll exportiert", "audit trail exported"},
	} {
		if _, dup := texts[k]; dup {
			panic("web: text " + k + " defined twice")
		}
		texts[k] = v
	}
}
