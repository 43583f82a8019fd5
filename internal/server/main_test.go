package server

import (
	"os"
	"testing"

	"frist/internal/store/storetest"
)

// TestMain runs the package's tests on SQLite and, when
// FRIST_TEST_POSTGRES_DSN is set, again on PostgreSQL.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
