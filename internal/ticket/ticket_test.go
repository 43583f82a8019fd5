package ticket

import "testing"

func TestTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to Status
		ok       bool
	}{
		{New, Open, true},
		{New, Closed, true},
		{Open, Waiting, true},
		{Waiting, Resolved, true},
		{Resolved, Closed, true},
		{Closed, Open, true},
		{Closed, Resolved, false},
		{Closed, New, false},
		{Open, New, false},
		{Resolved, Waiting, false},
	} {
		if got := CanTransition(tc.from, tc.to); got != tc.ok {
			t.Errorf("CanTransition(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.ok)
		}
	}
}

func TestAfterCustomerReply(t *testing.T) {
	for in, want := range map[Status]Status{New: New, Open: Open, Waiting: Open, Resolved: Open, Closed: Open} {
		if got := AfterCustomerReply(in); got != want {
			t.Errorf("AfterCustomerReply(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestNumber(t *testing.T) {
	for _, id := range []int64{1, 42, 999999, 5000000} {
		n := FormatNumber(id)
		got, err := ParseNumber(n)
		if err != nil || got != id {
			t.Errorf("ParseNumber(%q) = %d, %v, want %d", n, got, err, id)
		}
	}
	for _, bad := range []string{"", "F-", "F-12", "X-100001", "F-abc", "100000"} {
		if _, err := ParseNumber(bad); err == nil {
			t.Errorf("ParseNumber(%q) succeeded", bad)
		}
	}
	if got, _ := ParseNumber("f-100001"); got != 1 {
		t.Errorf("lower-case prefix not accepted")
	}
}
