package server

import (
	"mime"
	"net/http"
	"strings"
	"time"

	"frist/internal/attachment"
)

// uploadReadTimeout is how long a request that may carry attachments may
// take to arrive: 28 MiB over a slow mobile uplink (1 Mbit/s) takes about
// four minutes. Other requests keep the server's ReadTimeout.
const uploadReadTimeout = 10 * time.Minute

// uploadLimit returns the body limit of a request: limit, or for the
// routes that accept attachments at least attachment.MaxRequestBytes, so
// that a message's files fit within the attachment limits also as base64
// in JSON: the intake and messages API always, the request form and the
// agents' reply form when posted as multipart/form-data (with files).
// Those requests also get a longer read deadline.
func uploadLimit(w http.ResponseWriter, r *http.Request, limit int64) int64 {
	if r.Method != http.MethodPost || limit >= attachment.MaxRequestBytes || !acceptsAttachments(r.URL.Path) {
		return limit
	}
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "multipart/form-data" {
			return limit
		}
	}
	// Not every writer supports deadlines (e.g. in tests); then the
	// server's own ReadTimeout stays.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTimeout))
	return attachment.MaxRequestBytes
}

// acceptsAttachments reports the paths whose POST may carry attachments.
func acceptsAttachments(path string) bool {
	switch path {
	case "/requests", "/api/v1/requests":
		return true
	}
	if rest, ok := strings.CutPrefix(path, "/tickets/"); ok {
		return strings.Count(rest, "/") == 1 && strings.HasSuffix(rest, "/reply")
	}
	if rest, ok := strings.CutPrefix(path, "/api/v1/tickets/"); ok {
		return strings.Count(rest, "/") == 1 && strings.HasSuffix(rest, "/messages")
	}
	return false
}
