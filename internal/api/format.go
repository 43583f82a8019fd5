package api

import (
	"strings"

	"frist/internal/fault"
	"frist/internal/privacy"
)

// exportFormat returns the format a list or report is asked in: "csv" for
// ?format=csv or an Accept header naming text/csv, else "json".
func exportFormat(c *call) (string, error) {
	format := c.r.URL.Query().Get("format")
	if format == "" && strings.Contains(c.r.Header.Get("Accept"), "text/csv") {
		format = "csv"
	}
	switch format {
	case "", "json":
		return "json", nil
	case "csv":
		return "csv", nil
	}
	return "", fault.Fields("Unknown format.", fault.FieldError{Field: "format", Message: privacy.ErrOption})
}
