package desk

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"frist/internal/clock"
	"frist/internal/fault"
	"frist/internal/period"
	"frist/internal/store"
)

// Settings that record how the installation keeps time.
const (
	settingClockMode   = "clock_mode"        // "real" or "test", fixed at first start
	settingClockOffset = "test_clock_offset" // nanoseconds ahead of the wall clock
)

// ErrTestClockRefused is returned when --test-clock is asked of an
// installation that has run on the real clock: its data must never be
// time-travelled.
var ErrTestClockRefused = fault.Errorf(fault.Conflict, "This installation has run on the real clock; the test clock is refused so that its data is never time-travelled. Use a new data directory for testing.")

// CheckClockMode records at first start whether the installation runs on
// the test clock, refuses the test clock on an installation that ran on
// the real one, and restores a test clock's offset.
func CheckClockMode(ctx context.Context, db *store.DB, test *clock.Test) error {
	return db.Write(ctx, func(tx *store.Tx) error {
		mode, err := tx.Setting(settingClockMode)
		if fault.Code(err) == fault.NotFound {
			mode = "real"
			if test != nil {
				mode = "test"
			}
			return tx.SetSetting(settingClockMode, mode)
		} else if err != nil {
			return err
		}
		switch {
		case test != nil && mode != "test":
			return ErrTestClockRefused
		case test != nil:
			if v, err := tx.Setting(settingClockOffset); err == nil {
				if ns, err := strconv.ParseInt(v, 10, 64); err == nil {
					test.SetOffset(time.Duration(ns))
				}
			}
		}
		return nil
	})
}

// TestClock returns the test clock, or nil when the desk runs on the real
// clock.
func (d *Desk) TestClock() *clock.Test {
	c, _ := d.clock.(*clock.Test)
	return c
}

// SetTestClock sets the test clock to now, or advances it by an ISO 8601
// period, and persists the offset so that a restart keeps the time. The
// clock never goes backwards. Returns fault.Forbidden without a test clock.
func (d *Desk) SetTestClock(ctx context.Context, now *time.Time, advance string) (time.Time, error) {
	c := d.TestClock()
	if c == nil {
		return time.Time{}, fault.Errorf(fault.Forbidden, "The test clock is off; start the server with --test-clock.")
	}
	cur := c.Now()
	var target time.Time
	switch {
	case now != nil && advance != "":
		return time.Time{}, fault.Fields("Give either now or advance.", fault.FieldError{Field: "advance", Message: "invalid_format"})
	case now != nil:
		target = now.UTC()
	case advance != "":
		p, err := period.Parse(advance)
		if err != nil {
			return time.Time{}, fault.Fields("advance must be an ISO 8601 duration such as P14D.", fault.FieldError{Field: "advance", Message: "invalid_format"})
		}
		target = p.AddTo(cur, d.Policy().Location())
	default:
		return time.Time{}, fault.Fields("Give now (RFC 3339) or advance (ISO 8601).", fault.FieldError{Field: "now", Message: "required"})
	}
	if target.Before(cur) {
		return time.Time{}, fault.Fields("The test clock only moves forward.", fault.FieldError{Field: "now", Message: "in_past"})
	}
	c.Set(target)
	d.log.Warn("TEST CLOCK ACTIVE: clock moved", "now", c.Now())
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		return tx.SetSetting(settingClockOffset, fmt.Sprint(int64(c.Offset())))
	})
	return c.Now(), err
}
