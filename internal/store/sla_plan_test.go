package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"frist/internal/clock"
	"frist/internal/store/storetest"
)

// TestDueSLAChecksUsesIndex holds the breach job to its index: the query
// that finds due tickets must read tickets_sla_check, never scan the
// tickets table, so that a sweep costs what is due, not what is open.
func TestDueSLAChecksUsesIndex(t *testing.T) {
	db := storetest.Open(t, &clock.Test{})
	plan, err := db.ExplainDueSLAChecks(context.Background(), time.Now(), 500)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "tickets_sla_check") {
		t.Errorf("plan does not use tickets_sla_check:\n%s", plan)
	}
	t.Logf("plan:\n%s", plan)
	if strings.Contains(plan, "SCAN t\n") || strings.HasSuffix(plan, "SCAN t") || strings.Contains(plan, "SCAN tickets") || strings.Contains(plan, "Seq Scan on tickets") {
		t.Errorf("plan scans the tickets table:\n%s", plan)
	}
}
