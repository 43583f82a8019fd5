package web

import "net/http"

// logout ends the session (POST /logout) and clears the cookie.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(h.sessionCookie()); err == nil && c.Value != "" {
		if err := h.desk.Logout(r.Context(), c.Value); err != nil {
			h.log.Error("logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name:     h.sessionCookie(),
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   h.secure,
		SameSite: http.SameSiteLaxMode,
	})
	seeOther(w, r, "/login")
}
