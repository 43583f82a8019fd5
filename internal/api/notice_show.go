package api

// noticeJSON is the privacy notice in force (GDPR Art. 13) and the
// optional purposes a customer may consent to. Send its version back as
// consent.notice_version with the request.
type noticeJSON struct {
	Version  string                `json:"version"`
	Language string                `json:"language"`
	Text     string                `json:"text"`
	Hash     string                `json:"hash"`
	Purposes []optionalPurposeJSON `json:"purposes"`
}

// optionalPurposeJSON is a purpose that needs its own, freely given
// consent and is never a condition for service.
type optionalPurposeJSON struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Description string `json:"description"`
}

// noticeShow answers the privacy notice in the caller's language.
func (a *API) noticeShow(c *call) (any, error) {
	p := a.desk.Policy()
	out := noticeJSON{Version: p.Notice.Version, Language: c.lang, Text: p.Notice.Text.In(c.lang), Hash: p.Notice.Hash(c.lang), Purposes: []optionalPurposeJSON{}}
	for _, x := range p.OptionalPurposes() {
		out.Purposes = append(out.Purposes, optionalPurposeJSON{ID: x.ID, Label: x.Label.In(c.lang), Description: x.Description.In(c.lang)})
	}
	c.w.Header().Set("Content-Language", c.lang)
	return out, nil
}
