package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"frist/internal/audit"
	"frist/internal/clock"
	"frist/internal/fault"
	"frist/internal/store"
	"frist/internal/store/storetest"
)

// MustAppendAudit appends n entries in one transaction: agent 7 viewed
// restricted ticket F-<object>.
func MustAppendAudit(t *testing.T, db *store.DB, n int, object string) []*audit.Entry {
	t.Helper()
	es := make([]*audit.Entry, n)
	for i := range es {
		es[i] = &audit.Entry{ActorID: 7, ActorKind: audit.ActorAgent, Action: audit.ViewRestricted, Object: "ticket:" + object, Detail: fmt.Sprintf("n=%d", i)}
	}
	if err := db.Write(context.Background(), func(tx *store.Tx) error { return tx.AppendAudits(es) }); err != nil {
		t.Fatal(err)
	}
	return es
}

// mustVerify walks the chain and fails unless it is intact with want
// entries.
func mustVerify(t *testing.T, db *store.DB, want int64) {
	t.Helper()
	v, err := db.VerifyAudit(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK || v.Entries != want {
		t.Fatalf("verify = %+v, want OK with %d entries", v, want)
	}
}

func TestAppendAudit(t *testing.T) {
	t.Parallel()
	clk := clock.Fixed(now.Add(123456789 * time.Nanosecond))
	db := storetest.Open(t, clk)
	ctx := context.Background()
	mustVerify(t, db, 0)

	t.Run("OK", func(t *testing.T) {
		system := &audit.Entry{ActorKind: audit.ActorSystem, Action: audit.RetentionRun, Object: "run:1", Detail: "deleted=2"}
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.AppendAudit(system) }); err != nil {
			t.Fatal(err)
		}
		if system.ID != 1 || system.PrevHash != "" || system.Hash != system.ComputeHash("") || !system.At.Equal(now.Add(123456*time.Microsecond)) {
			t.Errorf("sealed entry = %+v", system)
		}
		es := MustAppendAudit(t, db, 3, "F-100042")
		if es[0].ID != 2 || es[0].PrevHash != system.Hash || es[2].ID != 4 || es[2].PrevHash != es[1].Hash {
			t.Errorf("entries do not continue the chain: %+v", es)
		}
		mustVerify(t, db, 4)
		// Read back, the entries are what was sealed: the hash holds.
		db.Read(ctx, func(tx *store.Tx) error {
			list, _, err := tx.AuditPage(store.AuditFilter{}, "", 10)
			if err != nil || len(list) != 4 {
				t.Fatalf("page: %d, %v", len(list), err)
			}
			if got := list[3]; got.ActorID != 0 || got.ActorKind != audit.ActorSystem || got.Hash != system.Hash || got.Hash != got.ComputeHash("") {
				t.Errorf("system entry read back = %+v", got)
			}
			if got := list[0]; got.ActorID != 7 || got.Detail != "n=2" || got.Hash != got.ComputeHash(got.PrevHash) {
				t.Errorf("newest entry read back = %+v", got)
			}
			return nil
		})
	})

	t.Run("ErrDetail", func(t *testing.T) {
		bad := []*audit.Entry{
			{ActorKind: audit.ActorSystem, Action: audit.RetentionRun, Object: "run:2"},
			{ActorKind: audit.ActorSystem, Action: audit.RetentionRun, Object: "run:2", Detail: "to erika@example.org"},
		}
		err := db.Write(ctx, func(tx *store.Tx) error { return tx.AppendAudits(bad) })
		if err == nil || fault.Code(err) != fault.Internal {
			t.Fatalf("err = %v", err)
		}
		mustVerify(t, db, 4) // nothing appended
	})

	t.Run("Rollback", func(t *testing.T) {
		db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.AppendAudit(&audit.Entry{ActorKind: audit.ActorSystem, Action: audit.RetentionRun, Object: "run:3"}); err != nil {
				t.Fatal(err)
			}
			return fault.Errorf(fault.Conflict, "changed my mind")
		})
		mustVerify(t, db, 4)
		es := MustAppendAudit(t, db, 1, "F-100043")
		if es[0].ID != 5 {
			t.Errorf("id after rollback = %d", es[0].ID)
		}
		mustVerify(t, db, 5)
	})

	t.Run("Batch", func(t *testing.T) {
		// More than one INSERT statement's worth.
		MustAppendAudit(t, db, 250, "F-100044")
		mustVerify(t, db, 255)
	})
}

func TestAuditPage(t *testing.T) {
	t.Parallel()
	clk := &clock.Test{}
	clk.Set(now)
	db := storetest.Open(t, clk)
	ctx := context.Background()
	MustAppendAudit(t, db, 5, "F-1")
	clk.Set(now.Add(time.Hour))
	MustAppendAudit(t, db, 7, "F-2")
	if err := db.Write(ctx, func(tx *store.Tx) error {
		return tx.AppendAudit(&audit.Entry{ActorKind: audit.ActorSystem, Action: audit.RetentionDelete, Object: "ticket:F-1"})
	}); err != nil {
		t.Fatal(err)
	}
	page := func(f store.AuditFilter, limit int) []int64 {
		t.Helper()
		var ids []int64
		cursor := ""
		for range 100 {
			var list []audit.Entry
			err := db.Read(ctx, func(tx *store.Tx) error {
				var err error
				list, cursor, err = tx.AuditPage(f, cursor, limit)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range list {
				ids = append(ids, e.ID)
			}
			if cursor == "" {
				return ids
			}
		}
		t.Fatal("paging does not end")
		return nil
	}
	tests := []struct {
		name  string
		f     store.AuditFilter
		limit int
		want  []int64
	}{
		{"All", store.AuditFilter{}, 50, []int64{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
		{"Paged", store.AuditFilter{}, 4, []int64{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
		{"Object", store.AuditFilter{Object: "ticket:F-1"}, 2, []int64{13, 5, 4, 3, 2, 1}},
		{"Action", store.AuditFilter{Action: audit.RetentionDelete}, 2, []int64{13}},
		{"ObjectAndAction", store.AuditFilter{Object: "ticket:F-2", Action: audit.RetentionDelete}, 2, nil},
		{"From", store.AuditFilter{From: now.Add(time.Minute)}, 3, []int64{13, 12, 11, 10, 9, 8, 7, 6}},
		{"To", store.AuditFilter{To: now.Add(time.Minute)}, 3, []int64{5, 4, 3, 2, 1}},
		{"Empty", store.AuditFilter{From: now.Add(2 * time.Hour)}, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := page(tt.f, tt.limit)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("ErrCursor", func(t *testing.T) {
		err := db.Read(ctx, func(tx *store.Tx) error {
			_, _, err := tx.AuditPage(store.AuditFilter{}, "garbage", 10)
			return err
		})
		if fault.Code(err) != fault.Invalid {
			t.Errorf("err = %v", err)
		}
	})
}

// TestVerifyAuditTampered changes the stored trail behind Frist's back, as
// someone with database access might, and expects the walk to name the
// first entry that no longer fits.
func TestVerifyAuditTampered(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tamper string
		broken int64
		n      int64 // entries checked before the break
	}{
		{"ChangedDetail", `UPDATE audit_log SET detail = 'n=99' WHERE id = 3000`, 3000, 2999},
		{"ChangedActor", `UPDATE audit_log SET actor_id = 8 WHERE id = 1`, 1, 0},
		{"Removed", `DELETE FROM audit_log WHERE id = 2500`, 2501, 2499},
		{"RemovedNewest", `DELETE FROM audit_log WHERE id >= 4499`, 4499, 4498},
		{"ForgedHead", `UPDATE audit_head SET hash = 'x'`, 4500, 4500},
		{"RemovedAll", `DELETE FROM audit_log`, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, raw := openRaw(t)
			MustAppendAudit(t, db, 4500, "F-1") // more than two chunks
			if _, err := raw.Exec(tt.tamper); err != nil {
				t.Fatal(err)
			}
			v, err := db.VerifyAudit(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if v.OK || v.BrokenAt != tt.broken || v.Entries != tt.n {
				t.Errorf("verify = %+v, want broken at %d after %d", v, tt.broken, tt.n)
			}
		})
	}
	t.Run("Progress", func(t *testing.T) {
		t.Parallel()
		db := storetest.Open(t, clock.Fixed(now))
		MustAppendAudit(t, db, 4500, "F-1")
		var chunks []int64
		v, err := db.VerifyAudit(context.Background(), func(n int64) { chunks = append(chunks, n) })
		if err != nil || !v.OK || v.Entries != 4500 {
			t.Fatalf("verify = %+v, %v", v, err)
		}
		if fmt.Sprint(chunks) != "[2000 4000 4500]" {
			t.Errorf("progress = %v", chunks)
		}
	})
}

// openRaw opens a migrated database and a second, plain connection pool
// on it that bypasses the store, to tamper with.
func openRaw(t *testing.T) (*store.DB, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	url := storetest.URL(t, t.TempDir())
	db, err := store.Open(ctx, url, clock.Fixed(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	driver := "sqlite"
	if store.IsPostgres(url) {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return db, raw
}

// TestAppendAuditConcurrent appends from many transactions at once: on
// PostgreSQL they run in parallel and meet at the head's row lock.
func TestAppendAuditConcurrent(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, clock.Real{})
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8*50)
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				errs <- db.Write(ctx, func(tx *store.Tx) error {
					return tx.AppendAudit(&audit.Entry{ActorID: int64(g + 1), ActorKind: audit.ActorAgent, Action: audit.ViewRestricted,
						Object: fmt.Sprintf("ticket:F-%d", 100000+i)})
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	mustVerify(t, db, 400)
}

// TestCopyAudit copies a trail to another database: the chain verifies
// there and continues.
func TestCopyAudit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, err := store.Open(ctx, filepath.Join(t.TempDir(), "src.db"), clock.Fixed(now))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	MustAppendAudit(t, src, 30, "F-1")
	dst := storetest.Open(t, clock.Fixed(now.Add(time.Hour)))
	if err := src.CopyTo(ctx, dst, nil); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, dst, 30)
	es := MustAppendAudit(t, dst, 2, "F-2")
	if es[0].ID != 31 {
		t.Errorf("first id after copy = %d", es[0].ID)
	}
	mustVerify(t, dst, 32)
}

// BenchmarkAppendAudit compares appending a sweep's entries one call at a
// time with one AppendAudits per transaction.
func BenchmarkAppendAudit(b *testing.B) {
	const batch = 200
	entries := func() []*audit.Entry {
		es := make([]*audit.Entry, batch)
		for i := range es {
			es[i] = &audit.Entry{ActorKind: audit.ActorSystem, Action: audit.RetentionDelete, Object: fmt.Sprintf("ticket:F-%d", 100000+i), Detail: "rule=default class=P90D"}
		}
		return es
	}
	for _, mode := range []string{"Single", "Batch"} {
		b.Run(mode, func(b *testing.B) {
			db := storetest.Open(b, clock.Real{})
			ctx := context.Background()
			for b.Loop() {
				es := entries()
				err := db.Write(ctx, func(tx *store.Tx) error {
					if mode == "Batch" {
						return tx.AppendAudits(es)
					}
					for _, e := range es {
						if err := tx.AppendAudit(e); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/entry")
		})
	}
}
