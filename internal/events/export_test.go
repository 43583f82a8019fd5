package events

import "time"

// WithCheckInterval shortens the listener's keep-alive interval so that tests
// exercise it.
func WithCheckInterval(d time.Duration) PostgresOption {
	return func(c *postgresConfig) { c.check = d }
}
