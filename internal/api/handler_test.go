package api_test

import (
	"log/slog"
	"net/http"

	"frist/internal/config"
	"frist/internal/server"
)

// serverHandler builds Frist's whole handler, middleware included, so that
// body limits and CSRF checks are tested with the API.
func serverHandler(cfg config.Config, e *env, log *slog.Logger) (http.Handler, error) {
	return server.Handler(cfg, e.Desk, log)
}
