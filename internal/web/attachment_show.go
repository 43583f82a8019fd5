package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"frist/internal/attachment"
	"frist/internal/desk"
	"frist/internal/store"
)

// attachmentView is one attached file under a message.
type attachmentView struct {
	Name string
	Type string // content type without parameters
	Size string // human-readable, e.g. "1,2 MB"
	Href string // download link
}

// attachmentViews lists a message's files with download links under base
// ("/tickets/F-100042" or "/t/<secret>").
func (p page) attachmentViews(base string, list []store.Attachment) []attachmentView {
	var out []attachmentView
	for _, a := range list {
		ct, _, _ := strings.Cut(a.ContentType, ";")
		out = append(out, attachmentView{Name: a.Name, Type: ct, Size: p.fileSize(a.Size), Href: base + "/attachments/" + strconv.FormatInt(a.ID, 10)})
	}
	return out
}

// fileSize formats a size in bytes, kB or MB, with a decimal comma in
// German.
func (p page) fileSize(n int64) string {
	var s string
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1000*1000:
		s = strconv.FormatFloat(float64(n)/1000, 'f', 1, 64) + " kB"
	default:
		s = strconv.FormatFloat(float64(n)/(1000*1000), 'f', 1, 64) + " MB"
	}
	if p.Lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// attachmentShow downloads a file of a ticket the agent may see (GET
// /tickets/{number}/attachments/{aid}).
func (h *Handler) attachmentShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id, err := ticketID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		h.fail(w, r, errNotFound)
		return
	}
	meta, f, err := h.desk.Attachment(r.Context(), a, id, aid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer f.Close()
	attachment.Serve(w, r, meta.Name, meta.ContentType, f)
}

// statusAttachmentShow downloads a file of a public message of the ticket
// behind a status link (GET /t/{secret}/attachments/{aid}).
func (h *Handler) statusAttachmentShow(w http.ResponseWriter, r *http.Request) {
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		h.fail(w, r, errNotFound)
		return
	}
	meta, f, err := h.desk.CustomerAttachment(r.Context(), r.PathValue("secret"), aid)
	if err != nil {
		noStoreNoReferrer(w)
		h.fail(w, r, err)
		return
	}
	defer f.Close()
	attachment.Serve(w, r, meta.Name, meta.ContentType, f)
}

// multipartMemory is how much of a multipart form is kept in memory: all
// of it, as the server's body limit for these routes is below it, so that
// uploaded files never land in a temporary directory outside the data
// directory.
const multipartMemory = attachment.MaxRequestBytes + 1<<20

// isMultipart reports a multipart/form-data body (a form with files).
func isMultipart(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "multipart/form-data"
}

// uploads returns the files of a form's "attachments" input; a file input
// left empty sends a part without name and content, which is skipped.
// Forms posted url-encoded have none.
func uploads(r *http.Request) ([]desk.Upload, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []desk.Upload
	for _, fh := range r.MultipartForm.File["attachments"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		// One byte over the limit is enough for validation to refuse it.
		data, err := io.ReadAll(io.LimitReader(f, attachment.MaxFileBytes+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, desk.Upload{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data})
	}
	return out, nil
}

// tooLargeBody reports a body over the server's limit.
func tooLargeBody(err error) bool {
	var e *http.MaxBytesError
	return errors.As(err, &e)
}

// attachmentField reports whether a validation error's field is about
// attachments ("attachments" or "attachments[i]").
func attachmentField(field string) bool {
	return field == "attachments" || strings.HasPrefix(field, "attachments[")
}

// tooLarge answers a form whose body is over the server's limit with the
// error page and 413; nothing was stored.
func (h *Handler) tooLarge(w http.ResponseWriter, r *http.Request) {
	var a *desk.Agent
	if !strings.HasPrefix(r.URL.Path, "/t/") && r.URL.Path != "/requests" {
		a = h.Agent(r)
	}
	pg := errorPage{page: h.newPage(r, a, "error_invalid_title"), Status: http.StatusRequestEntityTooLarge}
	pg.Message = pg.T("error_too_large")
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, http.StatusRequestEntityTooLarge, "error", &pg)
}
