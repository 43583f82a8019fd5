package web

import (
	"html/template"
	"net/http"

	"frist/internal/desk"
)

// documentPage shows a document generated from the policy, with links to
// download it.
type documentPage struct {
	page
	Document  template.HTML // the document's fragment, escaped when rendered
	Downloads []documentLink
}

// documentLink is one download of the document.
type documentLink struct {
	Href, Label string
}

// documentsOnly is agentOnly for the generated documents: administrators
// and privacy officers; other roles get a friendly 403 page.
func (h *Handler) documentsOnly(fn agentHandler) http.HandlerFunc {
	return h.agentOnly(func(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
		if !desk.MaySeeDocuments(a) {
			h.fail(w, r, errForbidden)
			return
		}
		fn(w, r, a)
	})
}

// deletionConceptShow shows the deletion concept of the policy in force in
// the page's language (GET /admin/documents/deletion-concept), or, with
// ?format=md|html&lang=de|en, downloads it: Markdown or a complete HTML
// page with its own stylesheet.
func (h *Handler) deletionConceptShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	q := r.URL.Query()
	if format := q.Get("format"); format != "" {
		lang := q.Get("lang")
		if (format != "md" && format != "html") || (lang != "de" && lang != "en") {
			h.fail(w, r, errNotFound)
			return
		}
		doc, err := h.desk.DeletionConcept(r.Context(), a, lang)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		body, ct := doc.Markdown(), "text/markdown; charset=utf-8"
		if format == "html" {
			body, ct = doc.HTML(), "text/html; charset=utf-8"
		}
		hd := w.Header()
		hd.Set("Content-Type", ct)
		hd.Set("Content-Language", lang)
		// As a download: the page's own stylesheet would be blocked by
		// the app's CSP if it were shown here.
		hd.Set("Content-Disposition", `attachment; filename="`+h.deletionConceptFile(lang, format)+`"`)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "no-store")
		w.Write(body)
		return
	}
	pg := &documentPage{page: h.newPage(r, a, "document_deletion_concept_title")}
	doc, err := h.desk.DeletionConcept(r.Context(), a, pg.Lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg.Document = doc.HTMLFragment()
	for _, f := range []string{"md", "html"} {
		for _, l := range []string{"de", "en"} {
			pg.Downloads = append(pg.Downloads, documentLink{
				Href:  "/admin/documents/deletion-concept?format=" + f + "&lang=" + l,
				Label: pg.T("document_download_" + f + "_" + l),
			})
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, http.StatusOK, "document_deletion_concept", pg)
}

// deletionConceptFile names a download: Löschkonzept in German, deletion
// concept in English.
func (h *Handler) deletionConceptFile(lang, format string) string {
	if lang == "en" {
		return "deletion-concept." + format
	}
	return "loeschkonzept." + format
}
