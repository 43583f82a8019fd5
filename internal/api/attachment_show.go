package api

import (
	"encoding/base64"
	"strconv"
	"strings"

	"frist/internal/attachment"
	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/store"
)

// attachmentInput is a file attached to a request or message: its name,
// the type the client claims (ignored: the content decides) and the
// content in standard base64.
type attachmentInput struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type,omitempty"`
	Data        string `json:"data"`
}

// attachmentJSON is a file attached to a message. URL downloads it (path
// on this server).
type attachmentJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	URL         string `json:"url"`
}

// newAttachmentsJSON lists a message's files of the ticket with the number.
func newAttachmentsJSON(number string, list []store.Attachment) []attachmentJSON {
	out := []attachmentJSON{}
	for _, a := range list {
		out = append(out, attachmentJSON{ID: a.ID, Name: a.Name, ContentType: a.ContentType, Size: a.Size,
			URL: "/api/v1/tickets/" + number + "/attachments/" + strconv.FormatInt(a.ID, 10)})
	}
	return out
}

// decodeUploads decodes the attachments of a body. Bad base64 is a 400
// listing each bad entry ("attachments[i].data"); nothing is stored then.
func decodeUploads(in []attachmentInput) ([]desk.Upload, error) {
	if len(in) == 0 {
		return nil, nil
	}
	var errs []fault.FieldError
	out := make([]desk.Upload, 0, len(in))
	for i, a := range in {
		data, err := base64.StdEncoding.DecodeString(a.Data)
		if err != nil {
			// Tolerate base64 without padding, as some encoders send it.
			data, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(a.Data, "="))
		}
		if err != nil {
			errs = append(errs, fault.FieldError{Field: "attachments[" + strconv.Itoa(i) + "].data", Message: "invalid_base64"})
			continue
		}
		out = append(out, desk.Upload{Name: a.Name, ContentType: a.ContentType, Data: data})
	}
	if len(errs) > 0 {
		return nil, &fault.Error{Code: fault.Malformed, Message: "An attachment's data is not valid base64.", Fields: errs}
	}
	return out, nil
}

// uploadError answers refused attachments: too large or too many files
// are 413 with the field list, other problems stay as they are (422).
func uploadError(err error) error {
	if fault.Code(err) == fault.Invalid && desk.AttachmentLimitError(err) {
		return &fault.Error{Code: fault.TooLarge, Message: "The attached files exceed the limits: at most 5 files of at most 10 MiB each, 20 MiB together.", Fields: fault.FieldsOf(err)}
	}
	return err
}

// attachmentShow downloads a file of a ticket the caller may see, as an
// attachment with the type sniffed at upload.
func (a *API) attachmentShow(c *call) (any, error) {
	id, err := ticketID(c)
	if err != nil {
		return nil, err
	}
	aid, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, fault.Errorf(fault.NotFound, "Attachment not found.")
	}
	meta, f, err := a.desk.Attachment(c.r.Context(), c.agent, id, aid)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	attachment.Serve(c.w, c.r, meta.Name, meta.ContentType, f)
	return streamed{}, nil
}
