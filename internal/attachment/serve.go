package attachment

import (
	"io"
	"net/http"
	"strings"
	"time"
)

// Serve answers a download of a stored file: always as a download
// (Content-Disposition: attachment with the RFC 6266 filename*), with the
// content type sniffed at upload, never re-sniffed by the browser
// (nosniff), sandboxed should a browser render it anyway
// (Content-Security-Policy: sandbox), and kept out of shared caches
// (Cache-Control: private, no-store). Range and HEAD requests work.
func Serve(w http.ResponseWriter, r *http.Request, name, contentType string, content io.ReadSeeker) {
	h := w.Header()
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", Disposition(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Referrer-Policy", "no-referrer")
	http.ServeContent(w, r, "", time.Time{}, content)
}

// Disposition returns the Content-Disposition value of a download named
// name: an ASCII fallback in filename (for old clients) and the exact
// UTF-8 name in filename* (RFC 6266, RFC 8187).
func Disposition(name string) string {
	name = CleanName(name)
	var fallback, star strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			fallback.WriteByte('_')
		} else {
			fallback.WriteRune(r)
		}
	}
	const hex = "0123456789ABCDEF"
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			star.WriteByte(b)
		} else {
			star.WriteByte('%')
			star.WriteByte(hex[b>>4])
			star.WriteByte(hex[b&15])
		}
	}
	return `attachment; filename="` + fallback.String() + `"; filename*=UTF-8''` + star.String()
}

// isAttrChar reports the bytes RFC 8187's attr-char allows unencoded.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
