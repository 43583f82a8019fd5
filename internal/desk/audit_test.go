package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"frist/internal/audit"
	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/fault"
	"frist/internal/store"
)

func TestAuditLog(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	ctx := context.Background()
	admin := e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
	dpo := e.MustCreateAgent(t, "petra@example.org", "Petra Privacy", auth.PrivacyOfficer)
	agent := e.MustCreateAgent(t, "anna@example.org", "Anna Agentin", auth.Agent)
	trainee := e.MustCreateAgent(t, "tom@example.org", "Tom Trainee", auth.Trainee)
	e.Clock.Set(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))
	err := e.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.AppendAudits([]*audit.Entry{
			{ActorID: dpo.ID, ActorKind: audit.ActorAgent, Action: audit.ViewRestricted, Object: "ticket:F-100001"},
			{ActorKind: audit.ActorSystem, Action: audit.RetentionDelete, Object: "ticket:F-100002", Detail: "rule=default"},
		})
	})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("Forbidden", func(t *testing.T) {
		for _, a := range []*desk.Agent{agent, trainee, nil} {
			if _, _, err := e.Desk.AuditLog(ctx, a, store.AuditFilter{}, "", 10); fault.Code(err) != fault.Forbidden {
				t.Errorf("AuditLog by %v: %v", a, err)
			}
			if err := e.Desk.ExportAudit(ctx, a, store.AuditFilter{}, func(audit.Entry) error { return nil }); fault.Code(err) != fault.Forbidden {
				t.Errorf("ExportAudit by %v: %v", a, err)
			}
		}
		for _, a := range []*desk.Agent{agent, trainee} {
			if _, err := e.Desk.VerifyAudit(ctx, a); fault.Code(err) != fault.Forbidden {
				t.Errorf("VerifyAudit by %s: %v", a.Role, err)
			}
		}
	})

	t.Run("OK", func(t *testing.T) {
		for _, a := range []*desk.Agent{admin, dpo} {
			list, next, err := e.Desk.AuditLog(ctx, a, store.AuditFilter{Object: "ticket:F-100002"}, "", 10)
			if err != nil || next != "" || len(list) != 1 || list[0].Action != audit.RetentionDelete {
				t.Errorf("AuditLog by %s: %+v, %q, %v", a.Role, list, next, err)
			}
		}
	})

	t.Run("Export", func(t *testing.T) {
		f, err := e.Desk.AuditFilter("", "", "2026-11-27", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		var got []audit.Entry
		if err := e.Desk.ExportAudit(ctx, dpo, f, func(x audit.Entry) error { got = append(got, x); return nil }); err != nil {
			t.Fatal(err)
		}
		// Newest first: the export's own record, then the two entries.
		if len(got) != 3 || got[0].Action != audit.AuditExport || got[0].ActorID != dpo.ID || got[0].Object != "audit:trail" {
			t.Fatalf("export = %+v", got)
		}
		if !strings.HasPrefix(got[0].Detail, "from=2026-11-2") || !strings.Contains(got[0].Detail, " to=") {
			t.Errorf("export detail = %q", got[0].Detail)
		}
		v, err := e.Desk.VerifyAudit(ctx, admin)
		if err != nil || !v.OK || v.Entries != 3 {
			t.Errorf("verify = %+v, %v", v, err)
		}
	})

	t.Run("CommandLine", func(t *testing.T) {
		v, err := e.Desk.VerifyAudit(ctx, nil)
		if err != nil || !v.OK {
			t.Errorf("verify = %+v, %v", v, err)
		}
	})
}

func TestAuditFilter(t *testing.T) {
	t.Parallel()
	e := desktest.New(t)
	berlin := e.Desk.Policy().Location()
	tests := []struct {
		name                     string
		object, action, from, to string
		want                     store.AuditFilter
		fields                   string // field errors, "field=message,…"
	}{
		{"Empty", "", "", "", "", store.AuditFilter{}, ""},
		{"Days", " ticket:F-100042 ", "retention.delete", "2026-11-01", "2026-11-30",
			store.AuditFilter{Object: "ticket:F-100042", Action: audit.RetentionDelete,
				From: time.Date(2026, 11, 1, 0, 0, 0, 0, berlin), To: time.Date(2026, 12, 1, 0, 0, 0, 0, berlin)}, ""},
		{"Times", "", "", "2026-11-01T10:00:00Z", "2026-11-01T12:00:00+01:00",
			store.AuditFilter{From: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 1, 11, 0, 0, 0, time.UTC)}, ""},
		{"ErrEmptyPeriod", "", "", "2026-11-01T10:00:00Z", "2026-11-01T11:00:00+01:00", store.AuditFilter{}, "to=before_from"},
		{"ErrFields", "erika@example.org", "delete everything", "gestern", "2026-13-01", store.AuditFilter{},
			"object=invalid_object,action=invalid_action,from=invalid_date,to=invalid_date"},
		{"ErrReversed", "", "", "2026-11-30", "2026-11-01", store.AuditFilter{}, "to=before_from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := e.Desk.AuditFilter(tt.object, tt.action, tt.from, tt.to)
			var fields []string
			for _, fe := range fault.FieldsOf(err) {
				fields = append(fields, fe.Field+"="+fe.Message)
			}
			if got := strings.Join(fields, ","); got != tt.fields {
				t.Fatalf("field errors %q, want %q (%v)", got, tt.fields, err)
			}
			if err != nil {
				if fault.Code(err) != fault.Invalid {
					t.Errorf("code %q", fault.Code(err))
				}
				return
			}
			if f.Object != tt.want.Object || f.Action != tt.want.Action || !f.From.Equal(tt.want.From) || !f.To.Equal(tt.want.To) {
				t.Errorf("filter = %+v, want %+v", f, tt.want)
			}
		})
	}
	t.Run("LongestFilterFitsDetail", func(t *testing.T) {
		// An export records its filter; the longest valid one must pass
		// the detail check, or the export would fail.
		obj := strings.Repeat("k", 20) + ":" + strings.Repeat("9", 64)
		act := strings.Repeat("a", 20) + "." + strings.Repeat("v", 24)
		f, err := e.Desk.AuditFilter(obj, act, "2026-11-01T10:00:00Z", "2026-11-30T10:00:00Z")
		if err != nil {
			t.Fatal(err)
		}
		admin := e.MustCreateAgent(t, "ada@example.org", "Ada Admin", auth.Admin)
		if err := e.Desk.ExportAudit(context.Background(), admin, f, func(audit.Entry) error { return nil }); err != nil {
			t.Fatal(err)
		}
	})
}
