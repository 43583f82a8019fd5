// Package storetest gives tests a fresh, migrated database on the backend
// under test, and runs a package's tests on every backend: SQLite always,
// PostgreSQL too when FRIST_TEST_POSTGRES_DSN is set. On PostgreSQL each
// database is a schema of its own, dropped at the end, so that tests in
// parallel and runs on the same server never see each other's data.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frist/internal/clock"
	"frist/internal/store"
)

// DSNVariable names the environment variable with the PostgreSQL server
// for tests, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const DSNVariable = "FRIST_TEST_POSTGRES_DSN"

// backend is the database the package's tests run on in this pass.
var backend = "sqlite"

// Backend returns "sqlite" or "postgres": the backend of this pass.
func Backend() string { return backend }

// Main runs the tests of a package on SQLite and, when
// FRIST_TEST_POSTGRES_DSN is set, a second time on PostgreSQL. Call it
// from TestMain: os.Exit(storetest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if os.Getenv(DSNVariable) == "" {
		return code
	}
	backend = "postgres"
	fmt.Println("--- the same tests on PostgreSQL")
	if c := m.Run(); c != 0 {
		code = c
	}
	return code
}

// URL returns a database URL for a new, empty database on the backend of
// this pass: a file in dir on SQLite, a fresh schema on PostgreSQL (dropped
// when the test ends).
func URL(t testing.TB, dir string) string {
	t.Helper()
	if backend == "sqlite" {
		return filepath.Join(dir, "frist.db")
	}
	return Schema(t)
}

// Schema creates a schema on the PostgreSQL test server and returns a URL
// whose connections use it; the schema is dropped when the test ends. It
// skips the test without FRIST_TEST_POSTGRES_DSN.
func Schema(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(DSNVariable)
	if dsn == "" {
		t.Skip(DSNVariable + " is not set")
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "frist_test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + name + ` CASCADE`); err != nil {
			t.Errorf("drop schema: %v", err)
		}
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a fresh, migrated database on the backend of this pass. It
// is closed when the test ends.
func Open(t testing.TB, clk clock.Clock) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, URL(t, t.TempDir()), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// DSN returns the PostgreSQL test server's DSN, or skips the test without
// FRIST_TEST_POSTGRES_DSN.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(DSNVariable)
	if dsn == "" {
		t.Skip(DSNVariable + " is not set")
	}
	return dsn
}

// WithApplicationName returns dsn with application_name set, in either DSN
// syntax, so that a test can find its connections in pg_stat_activity.
func WithApplicationName(dsn, name string) string {
	if strings.Contains(dsn, "://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "application_name=" + name
	}
	return dsn + " application_name=" + name
}
