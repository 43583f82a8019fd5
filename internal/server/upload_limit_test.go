package server

import (
	"net/http/httptest"
	"testing"

	"frist/internal/attachment"
)

func TestUploadLimit(t *testing.T) {
	t.Parallel()
	const general = 1 << 20
	const multipart = "multipart/form-data; boundary=x"
	for _, tc := range []struct {
		method, path string
		want         int64
	}{
		{"POST", "/requests", attachment.MaxRequestBytes},
		{"POST", "/api/v1/requests", attachment.MaxRequestBytes},
		{"POST", "/tickets/F-100042/reply", attachment.MaxRequestBytes},
		{"POST", "/requests?urlencoded", general},
		{"POST", "/tickets/F-100042/reply?urlencoded", general},
		{"POST", "/api/v1/tickets/F-100042/messages", attachment.MaxRequestBytes},
		{"GET", "/requests", general},
		{"POST", "/login", general},
		{"POST", "/tickets/F-100042", general},
		{"POST", "/t/secret/reply", general},
		{"POST", "/tickets/F-1/x/reply", general},
		{"PATCH", "/api/v1/tickets/F-100042", general},
	} {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		if r.URL.RawQuery == "" {
			r.Header.Set("Content-Type", multipart)
		} else {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if got := uploadLimit(httptest.NewRecorder(), r, general); got != tc.want {
			t.Errorf("%s %s: limit %d, want %d", tc.method, tc.path, got, tc.want)
		}
	}
	// A larger general limit stays.
	r := httptest.NewRequest("POST", "/requests", nil)
	r.Header.Set("Content-Type", multipart)
	if got := uploadLimit(httptest.NewRecorder(), r, 64<<20); got != 64<<20 {
		t.Errorf("limit %d", got)
	}
}
