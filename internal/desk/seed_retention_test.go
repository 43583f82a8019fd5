package desk_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"frist/internal/desk"
	"frist/internal/desk/desktest"
	"frist/internal/privacy"
	"frist/internal/store"
)

// countFiles counts the files in the attachment store.
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSeedExpired(t *testing.T) {
	e := desktest.New(t)
	ctx := context.Background()
	const n = 1500 // more than one transaction
	if err := e.Desk.SeedExpired(ctx, n, nil); err != nil {
		t.Fatal(err)
	}
	plan, err := e.Desk.RetentionPlan(ctx, nil, e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if plan.Tickets != n || len(plan.Groups) != 1 {
		t.Fatalf("plan: %d tickets in %d groups, want %d in one", plan.Tickets, len(plan.Groups), n)
	}
	g := plan.Groups[0]
	if g.Action != privacy.ActionDelete || g.Rule != "support_standard" || g.Messages != desk.ExpiredMessages*n || g.Attachments != n {
		t.Fatalf("plan group: %+v", g)
	}
	if got := countFiles(t, e.Desk.Files().Dir()); got != n {
		t.Fatalf("%d files stored, want %d", got, n)
	}
	run, err := e.Desk.RunRetention(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.Deleted != n || run.Files != n || run.Removed.Messages != desk.ExpiredMessages*n || run.Recomputation != nil {
		t.Fatalf("run: deleted %d, files %d, messages %d, recomputation %v", run.Deleted, run.Files, run.Removed.Messages, run.Recomputation)
	}
	if got := countFiles(t, e.Desk.Files().Dir()); got != 0 {
		t.Fatalf("%d files left", got)
	}
	if err := e.DB.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.CountIndexRows()
		if err != nil || rows != 0 {
			t.Errorf("search index rows left: %d (%v)", rows, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
