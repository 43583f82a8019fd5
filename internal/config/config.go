// Package config owns the settings of a Frist process: they come from
// command-line flags with FRIST_* environment variables as defaults, are
// parsed once into a Config value, and are passed down; there are no
// globals.
package config

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// Config is the configuration of one process.
type Config struct {
	DataDir         string  // where the embedded database and files live
	DatabaseURL     string  // "" for the embedded SQLite database in DataDir
	Addr            string  // listen address of serve
	BaseURL         string  // public URL of the server, for status links
	TestClock       bool    // serve with a settable test clock
	IntakeRateLimit float64 // public intake requests per second and client address; 0 turns the limit off
	LoginRateLimit  float64 // login attempts per minute and client address
	MaxBodyBytes    int64   // largest request body accepted
}

// Defaults.
const (
	DefaultAddr            = "localhost:8080"
	DefaultDataDir         = "frist-data"
	DefaultIntakeRateLimit = 2 // per second and client, bursts of 20
	DefaultLoginRateLimit  = 10
	DefaultMaxBodyBytes    = 1 << 20
)

// NewFlagSet returns a flag set for a subcommand with the flags every
// subcommand takes (--data-dir, --database-url) bound to cfg, defaults
// taken from getenv.
func NewFlagSet(name string, cfg *Config, getenv func(string) string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&cfg.DataDir, "data-dir", env(getenv, "FRIST_DATA_DIR", DefaultDataDir), "directory for the embedded database and files (FRIST_DATA_DIR)")
	fs.StringVar(&cfg.DatabaseURL, "database-url", getenv("FRIST_DATABASE_URL"), "database URL: postgres://USER@HOST:PORT/DB for PostgreSQL (several nodes may share one), sqlite://PATH, or empty for SQLite in the data directory (FRIST_DATABASE_URL)")
	return fs
}

// AddServeFlags adds the flags of `frist serve`.
func AddServeFlags(fs *flag.FlagSet, cfg *Config, getenv func(string) string) {
	fs.StringVar(&cfg.Addr, "addr", env(getenv, "FRIST_ADDR", DefaultAddr), "listen address (FRIST_ADDR)")
	fs.StringVar(&cfg.BaseURL, "base-url", getenv("FRIST_BASE_URL"), "public URL for links sent to customers, e.g. https://help.example.org; default http://ADDR (FRIST_BASE_URL)")
	fs.BoolVar(&cfg.TestClock, "test-clock", envBool(getenv, "FRIST_TEST_CLOCK"), "run on a test clock that admins can set and advance; only for a new data directory, never for production (FRIST_TEST_CLOCK)")
	fs.Float64Var(&cfg.IntakeRateLimit, "intake-rate-limit", envFloat(getenv, "FRIST_INTAKE_RATE_LIMIT", DefaultIntakeRateLimit), "public requests per second per client address, bursts of 10x; 0 turns the limit off (FRIST_INTAKE_RATE_LIMIT)")
	fs.Float64Var(&cfg.LoginRateLimit, "login-rate-limit", envFloat(getenv, "FRIST_LOGIN_RATE_LIMIT", DefaultLoginRateLimit), "login attempts per minute per client address (FRIST_LOGIN_RATE_LIMIT)")
	fs.Int64Var(&cfg.MaxBodyBytes, "max-body-bytes", int64(envFloat(getenv, "FRIST_MAX_BODY_BYTES", DefaultMaxBodyBytes)), "largest request body accepted, in bytes (FRIST_MAX_BODY_BYTES)")
}

// Validate checks the configuration and fills derived defaults.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		return fmt.Errorf("--data-dir must not be empty")
	}
	if scheme, _, ok := strings.Cut(c.DatabaseURL, "://"); ok && scheme != "sqlite" && scheme != "postgres" && scheme != "postgresql" {
		return fmt.Errorf("--database-url must start with postgres:// or sqlite://, not %s://", scheme)
	}
	if c.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			return fmt.Errorf("--addr %q: %w", c.Addr, err)
		}
	}
	if c.BaseURL == "" && c.Addr != "" {
		host, port, _ := net.SplitHostPort(c.Addr)
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--base-url %q must be an http(s) URL", c.BaseURL)
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	if c.IntakeRateLimit < 0 || c.LoginRateLimit < 0 {
		return fmt.Errorf("rate limits must not be negative")
	}
	if c.Addr != "" && c.MaxBodyBytes < 1024 {
		return fmt.Errorf("--max-body-bytes must be at least 1024")
	}
	return nil
}

// DatabasePath returns the database to open: --database-url when given
// (postgres://… or sqlite://PATH), else the SQLite file in the data
// directory.
func (c *Config) DatabasePath() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return filepath.Join(c.DataDir, "frist.db")
}

// Secure reports whether the server is reached over HTTPS, so cookies get
// the Secure flag.
func (c *Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

func env(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(getenv func(string) string, key string) bool {
	b, _ := strconv.ParseBool(getenv(key))
	return b
}

func envFloat(getenv func(string) string, key string, def float64) float64 {
	if v, err := strconv.ParseFloat(getenv(key), 64); err == nil {
		return v
	}
	return def
}
