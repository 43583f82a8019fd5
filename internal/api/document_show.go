package api

import (
	"net/http"

	"frist/internal/fault"
	"frist/internal/privacy"
)

// deletionConceptShow answers the deletion concept generated from the
// policy in force (administrators and privacy officers):
//
//	?format=md|html  (default md: text/markdown; html: a complete page)
//	&lang=de|en      (default from Accept-Language, else German)
//
// Both come as attachments named deletion-concept-<lang>.<md|html>: the
// HTML page carries its own stylesheet, which the app's CSP would block
// if it were shown in place.
func (a *API) deletionConceptShow(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "format", "lang"); err != nil {
		return nil, err
	}
	format, lang := q.Get("format"), q.Get("lang")
	var errs []fault.FieldError
	switch format {
	case "":
		format = "md"
	case "md", "html":
	default:
		errs = append(errs, fault.FieldError{Field: "format", Message: privacy.ErrOption})
	}
	switch lang {
	case "":
		lang = c.lang
	case "de", "en":
	default:
		errs = append(errs, fault.FieldError{Field: "lang", Message: privacy.ErrOption})
	}
	if len(errs) > 0 {
		return nil, fault.Fields("Use format=md or html and lang=de or en.", errs...)
	}
	doc, err := a.desk.DeletionConcept(c.r.Context(), c.agent, lang)
	if err != nil {
		return nil, err
	}
	body, ct := doc.Markdown(), "text/markdown; charset=utf-8"
	if format == "html" {
		body, ct = doc.HTML(), "text/html; charset=utf-8"
	}
	h := c.w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Language", lang)
	h.Set("Content-Disposition", `attachment; filename="deletion-concept-`+lang+`.`+format+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(body)
	return streamed{}, nil
}
