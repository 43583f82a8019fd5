// Package attachment owns the files customers and agents attach to
// messages: the limits a message's files must keep, the cleaning of file
// names, the content type sniffed from the bytes, and the local-disk file
// store under <data-dir>/attachments/.
//
// The database holds what a file is (name, type, size, hash, storage key;
// see store.Attachment); this package holds only the bytes, named by a
// random storage key that reveals nothing about the file or its owner.
// File names are personal data: they are never logged and never part of
// an error.
package attachment

import (
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of attachments. They hold for every way in: the web form, the
// agents' reply form and the JSON API.
const (
	// MaxFileBytes is the largest single file: 10 MiB.
	MaxFileBytes = 10 << 20
	// MaxFiles is how many files one message may carry.
	MaxFiles = 5
	// MaxTotalBytes is the most all files of one message may hold together:
	// 20 MiB.
	MaxTotalBytes = 20 << 20
	// MaxNameLen is the longest file name kept, in characters; longer
	// names are shortened, keeping their extension.
	MaxNameLen = 200
	// MaxRequestBytes is the request body limit for the routes that accept
	// attachments: all files base64-encoded (the JSON API's 4/3) plus
	// 1 MiB for the rest of the form and multipart overhead. Other routes
	// keep the server's general limit (--max-body-bytes).
	MaxRequestBytes = (MaxTotalBytes+2)/3*4 + 1<<20
)

// Problem is why a file or a set of files is refused. Its text is a
// validation message key (fault.Text translates it); it never contains the
// file's name or content.
type Problem string

// Error returns the message key.
func (p Problem) Error() string { return string(p) }

// Problems Validate and CheckSet report.
const (
	ErrEmpty         Problem = "empty_file"            // a file without content
	ErrFileTooLarge  Problem = "file_too_large"        // one file over MaxFileBytes
	ErrTooMany       Problem = "too_many_files"        // more than MaxFiles
	ErrTotalTooLarge Problem = "attachments_too_large" // together over MaxTotalBytes
)

// Validate checks one file and returns its cleaned name and the content
// type sniffed from its bytes (http.DetectContentType; what a client
// claims is never trusted). It returns ErrEmpty or ErrFileTooLarge.
func Validate(name string, data []byte) (cleanName, contentType string, err error) {
	switch {
	case len(data) == 0:
		return "", "", ErrEmpty
	case len(data) > MaxFileBytes:
		return "", "", ErrFileTooLarge
	}
	return CleanName(name), http.DetectContentType(data), nil
}

// CheckSet checks the files of one message together: at most MaxFiles
// files of at most MaxTotalBytes. It returns ErrTooMany or
// ErrTotalTooLarge.
func CheckSet(files int, totalBytes int64) error {
	switch {
	case files > MaxFiles:
		return ErrTooMany
	case totalBytes > MaxTotalBytes:
		return ErrTotalTooLarge
	}
	return nil
}

// DefaultName is the name of a file whose name was empty or nothing but
// path and control characters.
const DefaultName = "attachment"

// CleanName returns a file name safe to store and to offer for download:
// without any directory part (slash or backslash), without control and
// invisible formatting characters (which could hide a name's real
// extension, e.g. U+202E), valid UTF-8, trimmed, at most MaxNameLen
// characters with the extension kept, never "." or "..", never empty.
func CleanName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return -1
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > MaxNameLen {
		ext := path.Ext(name)
		if n := utf8.RuneCountInString(ext); n > 20 || n == utf8.RuneCountInString(name) {
			ext = ""
		}
		base := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimSpace(string(base[:MaxNameLen-utf8.RuneCountInString(ext)])) + ext
	}
	if name == "" || strings.Trim(name, ".") == "" {
		return DefaultName
	}
	return name
}
