package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"frist/internal/audit"
	"frist/internal/clock"
	"frist/internal/store"
)

func TestAuditVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := newDataDir(t)
	if out, err := run(t, "", "audit", "verify", "--data-dir", dir); err != nil || !strings.Contains(out, "0 entries checked, chain OK") {
		t.Fatalf("empty trail: %s %v", out, err)
	}
	url := databaseURL(dir)
	if url == "" {
		url = filepath.Join(dir, "frist.db")
	}
	db, err := store.Open(ctx, url, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Write(ctx, func(tx *store.Tx) error {
		return tx.AppendAudits([]*audit.Entry{
			{ActorKind: audit.ActorSystem, Action: audit.RetentionRun, Object: "run:1", Detail: "deleted=2"},
			{ActorKind: audit.ActorSystem, Action: audit.RetentionDelete, Object: "ticket:F-100001"},
			{ActorKind: audit.ActorSystem, Action: audit.RetentionDelete, Object: "ticket:F-100002"},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, "", "audit", "verify", "--data-dir", dir); err != nil || !strings.Contains(out, "3 entries checked, chain OK") {
		t.Fatalf("intact trail: %s %v", out, err)
	}
	// Someone with database access removes an entry.
	driver := "sqlite"
	if store.IsPostgres(url) {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DELETE FROM audit_log WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "", "audit", "verify", "--data-dir", dir)
	if err == nil || !strings.Contains(out, "BROKEN at entry 3") {
		t.Errorf("broken trail: %s %v", out, err)
	}
	if out, err := run(t, "", "audit", "check", "--data-dir", dir); err == nil {
		t.Errorf("unknown subcommand accepted: %s", out)
	}
}
