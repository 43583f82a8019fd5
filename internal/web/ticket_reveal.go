package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/privacy"
)

// maskingPanel tells an agent what of a ticket their role sees masked and
// offers to reveal what they may, with a reason.
type maskingPanel struct {
	Summary  string       // what is masked, translated; "" when nothing is
	Audited  string       // which views are recorded in the audit trail; ""
	NoFiles  bool         // attachments are withheld
	Reveals  []revealForm // one per category the agent may reveal
	Revealed string       // after a reveal: what is shown and that it was recorded
}

// revealForm is the form that reveals one masked category.
type revealForm struct {
	Category privacy.Category
	Label    string       // the category's name
	Fields   []formOption // "" for everything, then each masked field of the category
	Reason   string
	Error    string
}

// setMasking fills the masking panel from what desk masked.
func (pg *ticketPage) setMasking(v *desk.TicketView, cat *privacy.Catalogue) {
	m := v.Masking
	if m.Any() {
		var names []string
		for _, c := range m.Text {
			key := "masking_masked"
			if m.Customer == privacy.Hidden && c == privacy.Contact || v.Masking.Content == privacy.Hidden && c == privacy.Content {
				key = "masking_hidden"
			} else if c == privacy.Contact {
				key = "masking_pseudonymised"
			}
			names = append(names, pg.Tf(key, pg.CategoryName(c)))
		}
		pg.Masking.Summary = pg.Tf("masking_summary", strings.Join(names, "; "))
	}
	if len(m.Audit) > 0 {
		var names []string
		for _, c := range m.Audit {
			names = append(names, pg.CategoryName(c))
		}
		pg.Masking.Audited = pg.Tf("masking_audited", strings.Join(names, ", "))
	}
	pg.Masking.NoFiles = !m.Attachments
	if pg.Masking.NoFiles {
		for i := range pg.Messages {
			for j := range pg.Messages[i].Attachments {
				pg.Messages[i].Attachments[j].Href = ""
			}
		}
	}
	for _, c := range m.Reveal {
		f := revealForm{Category: c, Label: pg.CategoryName(c)}
		var ids []string
		for id, vis := range m.Fields {
			if at, ok := cat.Attribute(id); ok && at.Category == c && vis == privacy.Masked {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		if len(ids) > 0 {
			f.Fields = append(f.Fields, formOption{Value: "", Label: pg.T("reveal_all"), Selected: true})
			for _, id := range ids {
				at, _ := cat.Attribute(id)
				f.Fields = append(f.Fields, formOption{Value: id, Label: at.Label.In(pg.Lang)})
			}
		}
		pg.Masking.Reveals = append(pg.Masking.Reveals, f)
	}
}

type revealedKey struct{}

// withRevealed carries what a reveal returned to buildTicketPage, which
// shows it in place of the masks.
func withRevealed(ctx context.Context, rv *desk.Revealed) context.Context {
	return context.WithValue(ctx, revealedKey{}, rv)
}

// showRevealed puts revealed values into a ticket view before the page is
// built from it.
func showRevealed(ctx context.Context, v *desk.TicketView) *desk.Revealed {
	rv, _ := ctx.Value(revealedKey{}).(*desk.Revealed)
	if rv == nil {
		return nil
	}
	for id, val := range rv.Fields {
		v.Ticket.Fields[id] = val
		delete(v.Masking.Fields, id)
	}
	if rv.Customer != nil {
		v.Ticket.Customer.Name, v.Ticket.Customer.Email = rv.Customer.Name, rv.Customer.Email
	}
	if rv.Subject != "" {
		v.Ticket.Subject = rv.Subject
	}
	for _, m := range rv.Messages {
		for i := range v.Messages {
			if v.Messages[i].ID == m.ID {
				v.Messages[i].Body = m.Body
			}
		}
	}
	return rv
}

// ticketReveal reveals masked data of a ticket (POST
// /tickets/{number}/reveal: category, field, reason) and shows the ticket
// with it. The answer is the page itself, not a redirect: revealed values
// are shown once, to this request, and never cached.
func (h *Handler) ticketReveal(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id, err := ticketID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	in := desk.RevealInput{Category: privacy.Category(r.PostForm.Get("category")), Field: r.PostForm.Get("field"), Reason: r.PostForm.Get("reason")}
	rv, err := h.desk.Reveal(r.Context(), a, id, in)
	w.Header().Set("Cache-Control", "no-store")
	if fault.Code(err) == fault.Invalid {
		pg, err2 := h.buildTicketPage(r, a, id)
		if err2 != nil {
			h.fail(w, r, err2)
			return
		}
		for i := range pg.Masking.Reveals {
			f := &pg.Masking.Reveals[i]
			if f.Category != in.Category {
				continue
			}
			f.Reason = in.Reason
			for j := range f.Fields {
				f.Fields[j].Selected = f.Fields[j].Value == in.Field
			}
		}
		for _, fe := range fault.FieldsOf(err) {
			msg := pg.T(fe.Message)
			target := -1
			for i := range pg.Masking.Reveals {
				if pg.Masking.Reveals[i].Category == in.Category {
					target = i
				}
			}
			href := ""
			if target >= 0 {
				if pg.Masking.Reveals[target].Error == "" {
					pg.Masking.Reveals[target].Error = msg
				}
				href = "#reveal-" + string(in.Category) + "-" + fe.Field
				if fe.Field == "category" {
					href = "#reveal-" + string(in.Category) + "-reason"
				}
			}
			pg.Errors = append(pg.Errors, summaryItem{Href: href, Label: pg.T("reveal_" + fe.Field), Message: msg})
		}
		h.render(w, r, http.StatusUnprocessableEntity, "ticket", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r = r.WithContext(withRevealed(r.Context(), rv))
	pg, err := h.buildTicketPage(r, a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	what := pg.CategoryName(rv.Category)
	if in.Field != "" {
		if at, ok := h.desk.Policy().Catalogue().Attribute(in.Field); ok {
			what = at.Label.In(pg.Lang)
		}
	}
	pg.Masking.Revealed = pg.Tf("reveal_done", what)
	h.render(w, r, http.StatusOK, "ticket", pg)
}
