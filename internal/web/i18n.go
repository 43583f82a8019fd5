package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"frist/internal/auth"
	"frist/internal/fault"
	"frist/internal/privacy"
	"frist/internal/ticket"
)

// text is one UI text in German and English.
type text struct{ de, en string }

// texts is the translation table of every UI text and every validation
// message key desk and privacy return. German is the default language.
// addTexts adds a page's texts to the table; a key defined twice is a
// programming error caught at start-up (and by every test).
func addTexts(m map[string]text) {
	for k, v := range m {
		if _, dup := texts[k]; dup {
			panic("web: text " + k + " defined twice")
		}
		texts[k] = v
	}
}

var texts = map[string]text{
	// Layout.
	"skip_to_content":   {"Zum Inhalt springen", "Skip to content"},
	"test_clock_active": {"Testuhr aktiv: %s", "Test clock active: %s"},
	"language_switch":   {"Sprache", "Language"},
	"nav_main":          {"Hauptnavigation", "Main navigation"},
	"nav_queue":         {"Warteschlange", "Queue"},
	"nav_search":        {"Suche", "Search"},
	"nav_admin":         {"Verwaltung", "Admin"},
	"logged_in_as":      {"Angemeldet als %s", "Signed in as %s"},
	"logout":            {"Abmelden", "Sign out"},
	"search_label":      {"Tickets durchsuchen", "Search tickets"},
	"search_button":     {"Suchen", "Search"},
	"footer_privacy":    {"Datenschutz ist uns wichtig: Wir speichern nur, was für Ihre Anfrage nötig ist.", "We care about your privacy: we store only what your request needs."},

	// Request form.
	"request_title":       {"Anfrage stellen", "Submit a request"},
	"request_intro":       {"Wählen Sie Ihr Anliegen. Wir antworten innerhalb der angegebenen Frist.", "Choose your request type. We answer within the promised deadline."},
	"request_choose_type": {"Worum geht es?", "What is it about?"},
	"request_continue":    {"Weiter", "Continue"},
	"request_type":        {"Anliegen", "Request type"},
	"request_change_type": {"Anderes Anliegen wählen", "Choose another request type"},
	"request_your_data":   {"Ihre Angaben", "Your details"},
	"request_details":     {"Angaben zum Anliegen", "Details of your request"},
	"required_marker":     {"Pflichtfeld", "required"},
	"optional_marker":     {"optional", "optional"},
	"required_hint":       {"Mit * markierte Felder sind Pflichtfelder.", "Fields marked * are required."},
	"choose_option":       {"Bitte wählen", "Please choose"},
	"privacy_heading":     {"Datenschutz", "Privacy"},
	"privacy_notice_show": {"Datenschutzhinweis lesen (Version %s)", "Read the privacy notice (version %s)"},
	"consent_accept":      {"Ich habe den Datenschutzhinweis gelesen.", "I have read the privacy notice."},
	"purposes_heading":    {"Freiwillige Einwilligungen", "Voluntary consent"},
	"purposes_hint":       {"Freiwillig und keine Voraussetzung für die Bearbeitung Ihrer Anfrage. Sie können jederzeit widerrufen.", "Voluntary and not a condition for handling your request. You may withdraw at any time."},
	"voluntary":           {"freiwillig", "voluntary"},
	"submit_request":      {"Anfrage absenden", "Send request"},
	"error_summary":       {"Bitte prüfen Sie Ihre Angaben", "Please check your input"},
	"error_summary_count": {"Es gibt %d Fehler im Formular.", "There are %d problems in the form."},
	"field_request_type":  {"Anliegen", "Request type"},
	"field_language":      {"Sprache", "Language"},
	"field_consent":       {"Datenschutzhinweis", "Privacy notice"},
	"field_purposes":      {"Freiwillige Einwilligungen", "Voluntary consent"},
	"field_fields":        {"Formularfelder", "Form fields"},
	"field_message_reply": {"Nachricht", "Message"},
	"field_body":          {"Nachricht", "Message"},
	"field_status":        {"Status", "Status"},
	"field_priority":      {"Priorität", "Priority"},
	"field_department":    {"Abteilung", "Department"},
	"field_assignee":      {"Zuständig", "Assignee"},
	"field_email":         {"E-Mail-Adresse", "Email address"},
	"field_name":          {"Name", "Name"},
	"field_password":      {"Passwort", "Password"},
	"field_role":          {"Rolle", "Role"},
	"field_departments":   {"Abteilungen", "Departments"},
	"field_q":             {"Suchbegriff", "Search term"},
	"field_sort":          {"Sortierung", "Sort order"},
	"field_cursor":        {"Seite", "Page"},
	"field_policy":        {"Richtlinie (YAML)", "Policy (YAML)"},
	"field_now":           {"Zeitpunkt", "Time"},
	"field_advance":       {"Zeitraum", "Period"},

	// Acknowledgement.
	"ack_title":          {"Anfrage erhalten", "Request received"},
	"ack_thanks":         {"Vielen Dank! Wir haben Ihre Anfrage erhalten.", "Thank you! We have received your request."},
	"ack_number":         {"Ticketnummer", "Ticket number"},
	"ack_due":            {"Wir antworten spätestens bis", "We will answer by"},
	"ack_status_link":    {"Ihr persönlicher Statuslink", "Your private status link"},
	"ack_bookmark":       {"Speichern Sie diesen Link als Lesezeichen. Er wird nur jetzt angezeigt; wer ihn kennt, kann Ihre Anfrage lesen.", "Bookmark this link. It is shown only now; anyone who has it can read your request."},
	"ack_recorded":       {"Was wir festgehalten haben", "What we recorded"},
	"ack_notice_version": {"Datenschutzhinweis bestätigt, Version", "Privacy notice confirmed, version"},
	"ack_purposes":       {"Freiwillige Einwilligungen", "Voluntary consent"},
	"ack_purposes_none":  {"Keine", "None"},
	"ack_new_request":    {"Neue Anfrage stellen", "Submit another request"},

	// Status page.
	"status_title":          {"Ihre Anfrage %s", "Your request %s"},
	"status_label":          {"Status", "Status"},
	"status_subject":        {"Betreff", "Subject"},
	"status_due":            {"Erste Antwort versprochen bis", "First answer promised by"},
	"status_answered":       {"Erste Antwort erhalten am", "First answer received on"},
	"conversation":          {"Verlauf", "Conversation"},
	"author_customer":       {"Sie", "You"},
	"author_customer_agent": {"Kunde/Kundin", "Customer"},
	"author_agent":          {"Support-Team", "Support team"},
	"author_system":         {"System", "System"},
	"reply_heading":         {"Antworten", "Reply"},
	"reply_message":         {"Ihre Nachricht", "Your message"},
	"reply_send":            {"Nachricht senden", "Send message"},
	"close_heading":         {"Anfrage schließen", "Close request"},
	"close_hint":            {"Hat sich Ihr Anliegen erledigt? Dann können Sie die Anfrage schließen. Eine neue Nachricht öffnet sie wieder.", "Is your request settled? Then you may close it. A new message reopens it."},
	"close_button":          {"Anfrage schließen", "Close request"},
	"status_closed_hint":    {"Diese Anfrage ist geschlossen. Schreiben Sie uns, um sie wieder zu öffnen.", "This request is closed. Write to us to reopen it."},
	"status_reply_sent":     {"Ihre Nachricht wurde gesendet.", "Your message was sent."},
	"status_closed_done":    {"Die Anfrage wurde geschlossen.", "The request was closed."},

	// Login.
	"login_title":    {"Anmeldung für Mitarbeitende", "Agent sign-in"},
	"login_email":    {"E-Mail-Adresse", "Email address"},
	"login_password": {"Passwort", "Password"},
	"login_submit":   {"Anmelden", "Sign in"},
	"login_failed":   {"E-Mail-Adresse oder Passwort ist falsch.", "Email address or password is wrong."},

	// Queue.
	"queue_title":      {"Warteschlange", "Queue"},
	"queue_filter":     {"Filter", "Filter"},
	"queue_apply":      {"Anzeigen", "Show"},
	"queue_all_active": {"Alle aktiven", "All active"},
	"queue_all_depts":  {"Alle Abteilungen", "All departments"},
	"queue_any":        {"Alle", "Anyone"},
	"queue_mine":       {"Mir zugewiesen", "Assigned to me"},
	"queue_unassigned": {"Nicht zugewiesen", "Unassigned"},
	"sort_due":         {"Nach Frist", "By deadline"},
	"sort_oldest":      {"Älteste zuerst", "Oldest first"},
	"sort_newest":      {"Neueste zuerst", "Newest first"},
	"queue_empty":      {"Keine Tickets gefunden.", "No tickets found."},
	"queue_next":       {"Nächste Seite", "Next page"},
	"queue_first":      {"Erste Seite", "First page"},
	"col_number":       {"Nummer", "Number"},
	"col_subject":      {"Betreff", "Subject"},
	"col_customer":     {"Kunde/Kundin", "Customer"},
	"col_department":   {"Abteilung", "Department"},
	"col_status":       {"Status", "Status"},
	"col_priority":     {"Priorität", "Priority"},
	"col_assignee":     {"Zuständig", "Assignee"},
	"col_due":          {"Frist", "Due"},
	"overdue":          {"überfällig", "overdue"},
	"nobody":           {"niemand", "nobody"},
	"answered":         {"beantwortet", "answered"},

	// Ticket.
	"ticket_title":          {"Ticket %s", "Ticket %s"},
	"ticket_details":        {"Ticketdetails", "Ticket details"},
	"ticket_customer":       {"Kunde/Kundin", "Customer"},
	"ticket_request_type":   {"Anliegen", "Request type"},
	"ticket_created":        {"Eingegangen", "Received"},
	"ticket_due":            {"Erste Antwort fällig", "First response due"},
	"ticket_first_response": {"Erste Antwort", "First response"},
	"ticket_fields":         {"Formularangaben", "Form fields"},
	"ticket_no_fields":      {"Keine zusätzlichen Angaben.", "No additional details."},
	"ticket_masked":         {"verdeckt", "masked"},
	"ticket_consent":        {"Einwilligung und Datenschutzhinweis", "Consent and privacy notice"},
	"consent_notice":        {"Hinweis-Version", "Notice version"},
	"consent_hash":          {"Prüfsumme des Textes", "Text checksum"},
	"consent_language":      {"Sprache", "Language"},
	"consent_at":            {"Zeitpunkt", "Time"},
	"consent_granted":       {"erteilt", "granted"},
	"consent_denied":        {"nicht erteilt", "not granted"},
	"consent_none":          {"Keine Einwilligung gespeichert.", "No consent recorded."},
	"internal_note":         {"Interne Notiz", "Internal note"},
	"public_reply":          {"Öffentliche Antwort", "Public reply"},
	"ticket_reply_heading":  {"Antworten", "Reply"},
	"ticket_reply_body":     {"Nachricht", "Message"},
	"ticket_visibility":     {"Sichtbarkeit", "Visibility"},
	"visibility_public":     {"Öffentliche Antwort an den Kunden", "Public reply to the customer"},
	"visibility_internal":   {"Interne Notiz (nur für Mitarbeitende)", "Internal note (agents only)"},
	"ticket_status_after":   {"Status danach", "Status afterwards"},
	"status_default":        {"Automatisch (nach Lebenszyklus)", "Automatic (life cycle)"},
	"ticket_reply_send":     {"Senden", "Send"},
	"ticket_update_heading": {"Ticket bearbeiten", "Edit ticket"},
	"ticket_update_save":    {"Speichern", "Save"},
	"ticket_history":        {"Verlauf der Änderungen", "History"},
	"history_when":          {"Wann", "When"},
	"history_who":           {"Wer", "Who"},
	"history_what":          {"Was", "What"},
	"history_change":        {"Änderung", "Change"},
	"history_empty":         {"Noch keine Änderungen.", "No changes yet."},
	"actor_customer":        {"Kunde/Kundin", "Customer"},
	"actor_system":          {"System", "System"},
	"change_status":         {"Status", "Status"},
	"change_routed":         {"Zugeordnet durch Regel", "Routed by rule"},
	"change_priority":       {"Priorität", "Priority"},
	"change_department":     {"Abteilung", "Department"},
	"change_assignee":       {"Zuständig", "Assignee"},
	"change_created":        {"Erstellt", "Created"},
	"change_tags":           {"Schlagwörter", "Tags"},
	"back_to_queue":         {"Zurück zur Warteschlange", "Back to the queue"},

	// Search.
	"search_title":   {"Suche", "Search"},
	"search_results": {"Ergebnisse", "Results"},
	"search_none":    {"Keine Treffer.", "No matches."},
	"search_next":    {"Weitere Treffer", "More results"},
	"search_hint":    {"Sucht in Betreffs und Nachrichten nach allen eingegebenen Wörtern.", "Searches subjects and messages for all words entered."},

	// Admin.
	"admin_title":          {"Verwaltung", "Administration"},
	"admin_agents":         {"Konten", "Accounts"},
	"admin_create":         {"Konto anlegen", "Create account"},
	"admin_create_submit":  {"Konto anlegen", "Create account"},
	"admin_all_depts":      {"Keine Auswahl: alle Abteilungen", "None selected: all departments"},
	"admin_created":        {"Konto für %s angelegt. Einmal-Passwort (wird nur jetzt angezeigt):", "Account for %s created. One-time password (shown only now):"},
	"admin_policy":         {"Aktuelle Richtlinie", "Current policy"},
	"admin_policy_apply":   {"Neue Richtlinie anwenden", "Apply a new policy"},
	"admin_policy_submit":  {"Richtlinie anwenden", "Apply policy"},
	"admin_policy_applied": {"Die neue Richtlinie ist in Kraft.", "The new policy is in force."},
	"admin_policy_invalid": {"Die Richtlinie wurde nicht übernommen:", "The policy was not applied:"},
	"admin_disabled":       {"deaktiviert", "disabled"},
	"admin_active":         {"aktiv", "active"},
	"col_name":             {"Name", "Name"},
	"col_email":            {"E-Mail", "Email"},
	"col_role":             {"Rolle", "Role"},
	"col_departments":      {"Abteilungen", "Departments"},
	"col_state":            {"Zustand", "State"},
	"all_departments":      {"alle", "all"},

	// Error pages.
	"error_not_found_title":    {"Nicht gefunden", "Not found"},
	"error_not_found":          {"Diese Seite gibt es nicht oder nicht mehr. Prüfen Sie den Link.", "This page does not exist or no longer exists. Please check the link."},
	"error_forbidden_title":    {"Kein Zugriff", "Access denied"},
	"error_forbidden":          {"Sie haben keine Berechtigung für diese Seite.", "You are not allowed to see this page."},
	"error_unauthorized_title": {"Anmeldung nötig", "Sign-in required"},
	"error_unauthorized":       {"Bitte melden Sie sich an.", "Please sign in."},
	"error_invalid_title":      {"Ungültige Anfrage", "Invalid request"},
	"error_invalid":            {"Die Anfrage ist ungültig.", "The request is invalid."},
	"error_internal_title":     {"Fehler", "Error"},
	"error_internal":           {"Etwas ist schiefgegangen. Bitte versuchen Sie es später noch einmal.", "Something went wrong. Please try again later."},
	"error_home":               {"Zur Startseite", "To the home page"},

	// Statuses, priorities, roles, categories.
	"status_new":      {"Neu", "New"},
	"status_open":     {"In Bearbeitung", "Open"},
	"status_waiting":  {"Wartet auf Kunden", "Waiting for customer"},
	"status_resolved": {"Gelöst", "Resolved"},
	"status_closed":   {"Geschlossen", "Closed"},

	"priority_low":    {"Niedrig", "Low"},
	"priority_normal": {"Normal", "Normal"},
	"priority_high":   {"Hoch", "High"},
	"priority_urgent": {"Dringend", "Urgent"},

	"role_admin":           {"Administration", "Admin"},
	"role_agent":           {"Mitarbeiter/in", "Agent"},
	"role_trainee":         {"Auszubildende/r", "Trainee"},
	"role_privacy-officer": {"Datenschutzbeauftragte/r", "Privacy officer"},

	"category_contact":         {"Kontaktdaten", "Contact data"},
	"category_request_content": {"Anfrageinhalt", "Request content"},
	"category_sensitive":       {"Besonders schützenswert", "Sensitive"},
	"category_technical":       {"Technisch", "Technical"},

	"lang_de": {"Deutsch", "German"},
	"lang_en": {"Englisch", "English"},
}

// tr returns the text of key in lang. A missing key shows as itself, which
// tests catch.
func tr(lang, key string) string {
	t, ok := texts[key]
	if !ok {
		// Validation message keys are translated where they are defined.
		if v := fault.Text(lang, key); v != "" {
			return v
		}
		return key
	}
	if lang == "en" {
		return t.en
	}
	return t.de
}

// T translates a key into the page's language.
func (p page) T(key string) string { return tr(p.Lang, key) }

// Tf translates a key and fills in its %s and %d verbs.
func (p page) Tf(key string, args ...any) string { return fmt.Sprintf(tr(p.Lang, key), args...) }

// StatusName translates a ticket status.
func (p page) StatusName(s ticket.Status) string { return p.T("status_" + string(s)) }

// PriorityName translates a priority.
func (p page) PriorityName(x ticket.Priority) string { return p.T("priority_" + string(x)) }

// RoleName translates a role.
func (p page) RoleName(r auth.Role) string { return p.T("role_" + string(r)) }

// CategoryName translates a data category.
func (p page) CategoryName(c privacy.Category) string { return p.T("category_" + string(c)) }

// Date formats t in the organisation's time zone: "30.11.2026, 12:00 Uhr
// (MEZ)" in German, "30 Nov 2026, 12:00 CET" in English. Zero times show
// as a dash.
func (p page) Date(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	return formatDate(p.Lang, t.In(loc))
}

func formatDate(lang string, t time.Time) string {
	zone, _ := t.Zone()
	if lang == "en" {
		return t.Format("2 Jan 2006, 15:04 ") + zone
	}
	switch zone {
	case "CET":
		zone = "MEZ"
	case "CEST":
		zone = "MESZ"
	}
	return t.Format("02.01.2006, 15:04") + " Uhr (" + zone + ")"
}

// languages are the UI languages, the default first.
var languages = []string{"de", "en"}

// language picks the UI language: the lang cookie set by the switch, else
// the preferred of German and English in Accept-Language, else German.
func language(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil && slices.Contains(languages, c.Value) {
		return c.Value
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// fromAcceptLanguage returns "en" when English is preferred over German,
// else "de".
func fromAcceptLanguage(h string) string {
	best, bestQ := "de", -1.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if (base == "de" || base == "en") && q > 0 && q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}
