package fault

// Validation message keys of the audit trail's filter (desk.AuditFilter).
func init() {
	for k, v := range map[string][2]string{
		"invalid_object": {"Bitte als Art:Kennung angeben, z. B. ticket:F-100042 oder customer:17.", "Please give kind:id, e.g. ticket:F-100042 or customer:17."},
		"invalid_action": {"Bitte als Bereich.Vorgang angeben, z. B. retention.delete.", "Please give area.verb, e.g. retention.delete."},
	} {
		texts[k] = v
	}
}
