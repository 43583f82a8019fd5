package web

import "net/http"

// statusClose closes the customer's ticket (POST /t/{secret}/close).
func (h *Handler) statusClose(w http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	if err := h.desk.CustomerClose(r.Context(), secret); err != nil {
		h.fail(w, r, err)
		return
	}
	noStoreNoReferrer(w)
	seeOther(w, r, "/t/"+secret+"?done=close")
}
