package web

import "net/http"

// loginPage is the agents' sign-in form.
type loginPage struct {
	page
	Next  string
	Email string
	Error string
}

// loginShow shows the sign-in form (GET /login); an agent already signed
// in goes on to the queue.
func (h *Handler) loginShow(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"), "/queue")
	if h.Agent(r) != nil {
		seeOther(w, r, next)
		return
	}
	pg := &loginPage{page: h.newPage(r, nil, "login_title"), Next: next}
	h.render(w, r, http.StatusOK, "login", pg)
}
