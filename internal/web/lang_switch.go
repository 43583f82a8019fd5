package web

import (
	"net/http"
	"slices"
)

// langSwitch sets the language cookie and goes back to the page the link
// was on (GET /lang/{lang}?next=/path). Only paths on this site are
// followed.
func (h *Handler) langSwitch(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if !slices.Contains(languages, lang) {
		h.fail(w, r, errNotFound)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     "lang",
		Value:    lang,
		Path:     "/",
		MaxAge:   365 * 24 * 3600,
		HttpOnly: true,
		Secure:   h.secure,
		SameSite: http.SameSiteLaxMode,
	})
	seeOther(w, r, safeNext(r.URL.Query().Get("next"), "/"))
}
