package web

import (
	"net/http"
	"net/url"

	"frist/internal/desk"
	"frist/internal/fault"
)

// loginSubmit checks the credentials (POST /login), sets the session
// cookie and goes on to the page the agent wanted. Wrong credentials give
// 401 with one generic message, whichever part was wrong.
func (h *Handler) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	email := r.PostForm.Get("email")
	next := safeNext(r.PostForm.Get("next"), "/queue")
	_, secret, err := h.desk.Login(r.Context(), email, r.PostForm.Get("password"))
	if fault.Code(err) == fault.Unauthorized {
		pg := &loginPage{page: h.newPage(r, nil, "login_title"), Next: next, Email: email}
		pg.Path = "/login?next=" + url.QueryEscape(next)
		pg.Error = pg.T("login_failed")
		w.Header().Set("Cache-Control", "no-store")
		h.render(w, r, http.StatusUnauthorized, "login", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     h.sessionCookie(),
		Value:    secret,
		Path:     "/",
		MaxAge:   int(desk.SessionTTL.Seconds()),
		HttpOnly: true,
		Secure:   h.secure,
		SameSite: http.SameSiteLaxMode,
	})
	seeOther(w, r, next)
}
