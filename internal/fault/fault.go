// Package fault owns Frist's error vocabulary: a handful of codes, a message
// that is safe to show to users, per-field validation errors, and the one
// table that maps codes to HTTP statuses.
//
// Messages in a fault.Error are shown to users and therefore never contain
// personal data; details for operators go into the wrapped error, which is
// logged without personal data at the boundary.
package fault

import (
	"errors"
	"fmt"
	"net/http"
)

// Error codes.
const (
	Malformed    = "malformed"    // the body cannot be read: not JSON, wrong shape, unknown keys
	Invalid      = "invalid"      // the input violates a rule
	NotFound     = "not_found"    // the thing does not exist or may not be seen
	Conflict     = "conflict"     // the request conflicts with the current state
	Forbidden    = "forbidden"    // the caller may not do this
	Unauthorized = "unauthorized" // the caller is not authenticated
	TooMany      = "too_many"     // a rate limit was hit
	TooLarge     = "too_large"    // the request body exceeds the limit
	Unsupported  = "unsupported"  // wrong content type
	Internal     = "internal"     // anything else; details are never shown
)

// FieldError names one invalid input field and why it is invalid. Message is a
// message key (see web and api translations), never the submitted value.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an application error with a code and a user-safe message.
type Error struct {
	Code    string
	Message string       // user-safe, no personal data
	Fields  []FieldError // for Invalid: which fields and why
	Err     error        // wrapped cause, for logs only
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the code and a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Fields returns an Invalid error listing field errors.
func Fields(msg string, fields ...FieldError) *Error {
	return &Error{Code: Invalid, Message: msg, Fields: fields}
}

// Code returns the code of err, Internal for errors that are not *Error and
// "" for nil.
func Code(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return Internal
	}
}

// Message returns the user-safe message of err; internal errors get a
// generic text.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "Internal error."
}

// FieldsOf returns the field errors of err, if any.
func FieldsOf(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// statuses is the one code→HTTP status table.
var statuses = map[string]int{
	Malformed:    http.StatusBadRequest,
	Invalid:      http.StatusUnprocessableEntity,
	NotFound:     http.StatusNotFound,
	Conflict:     http.StatusConflict,
	Forbidden:    http.StatusForbidden,
	Unauthorized: http.StatusUnauthorized,
	TooMany:      http.StatusTooManyRequests,
	TooLarge:     http.StatusRequestEntityTooLarge,
	Unsupported:  http.StatusUnsupportedMediaType,
	Internal:     http.StatusInternalServerError,
}

// Status returns the HTTP status for err.
func Status(err error) int {
	if s, ok := statuses[Code(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}
