package store

import "frist/internal/clock"

// WithClock returns a handle on the same database whose transactions take
// their time from clk instead of the database's clock. It is for seeding
// data as if it had been written in the past (measurements and tests);
// the handle shares db's connections, so close db, never the handle.
func (db *DB) WithClock(clk clock.Clock) *DB {
	c := *db
	c.clock = clk
	return &c
}
