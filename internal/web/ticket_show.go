package web

import (
	"net/http"
	"slices"
	"sort"
	"strconv"

	"frist/internal/desk"
	"frist/internal/privacy"
	"frist/internal/ticket"
)

// ticketPage is one ticket as agents work it: conversation with internal
// notes, form fields, consent record, history, and the reply and update
// forms.
type ticketPage struct {
	page
	ID            int64
	Number        string
	Href          string
	Subject       string
	Status        ticket.Status
	Priority      ticket.Priority
	Department    string
	RequestType   string
	CustomerName  string
	CustomerEmail string
	Assignee      string
	Created       string
	Due           string
	FirstResponse string
	Overdue       bool

	// SLA panel.
	SLAPolicy  string
	SLAPaused  bool
	SLATargets []slaTargetView
	SLAHistory []slaEventView

	Fields   []fieldView
	Consents []consentView
	Messages []messageView
	Changes  []changeView

	// Personal data in free text (pii_marks.go): the subject with flagged
	// spans marked, and what happened in the agent's last reply.
	SubjectParts []textPart
	ReplyMasked  string
	ReplyFlagged string

	// Reply form.
	ReplyBody        string
	ReplyInternal    bool
	ReplyStatuses    []formOption
	ReplyError       string
	ReplyStatusError string
	ReplyFilesError  string // the first problem with the attached files
	ReplyFilesAgain  bool   // files were sent: choose them again

	// Update form.
	StatusOptions     []formOption
	PriorityOptions   []formOption
	DepartmentOptions []formOption
	AssigneeOptions   []formOption
	UpdateErrors      map[string]string // field → translated message

	// Deletion panel: schedule, tags, legal holds (ticket_deletion.go).
	Deletion deletionPanel

	// Masking panel: what the role sees masked, reveal forms
	// (ticket_reveal.go).
	Masking maskingPanel

	Errors []summaryItem
}

// fieldView is one form field of a ticket with its catalogue label and
// data category.
type fieldView struct {
	Label    string
	Value    string
	Category privacy.Category
	Masked   bool
}

// consentView is one consent record.
type consentView struct {
	Version    string
	HashPrefix string
	Language   string
	At         string
	Purposes   []purposeView
}

// purposeView is one optional purpose offered and the answer.
type purposeView struct {
	Label   string
	Granted bool
}

// changeView is one history entry, translated.
type changeView struct {
	Actor  string
	Field  string
	From   string
	To     string
	At     string
	Reason string // the rule or strategy that decided, translated (page.Reason)
}

// ticketShow shows a ticket (GET /tickets/{number}).
func (h *Handler) ticketShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	id, err := ticketID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg, err := h.buildTicketPage(r, a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg.setReplyPII(r.URL.Query())
	h.render(w, r, http.StatusOK, "ticket", pg)
}

func (h *Handler) buildTicketPage(r *http.Request, a *desk.Agent, id int64) (*ticketPage, error) {
	ctx := r.Context()
	v, err := h.desk.Ticket(ctx, a, id)
	if err != nil {
		return nil, err
	}
	showRevealed(ctx, v)
	agents, err := h.desk.Agents(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, x := range agents {
		names[x.ID] = x.Name
	}
	p := h.desk.Policy()
	cat := p.Catalogue()
	t := v.Ticket
	pg := &ticketPage{page: h.newPage(r, a, "")}
	lang := pg.Lang
	pg.Title = pg.Tf("ticket_title", t.Number())
	pg.ID = t.ID
	pg.Number = t.Number()
	pg.Href = "/tickets/" + t.Number()
	pg.Path = pg.Href
	pg.Subject = t.Subject
	pg.Status = t.Status
	pg.Priority = t.Priority
	pg.Department = h.deptName(t.Department, lang)
	pg.RequestType = t.RequestType
	if rt, ok := p.RequestType(t.RequestType); ok {
		pg.RequestType = rt.Name.In(lang)
	}
	pg.CustomerName = t.Customer.Name
	pg.CustomerEmail = t.Customer.Email
	pg.Assignee = names[t.AssigneeID]
	pg.Created = pg.Date(t.CreatedAt)
	pg.setSLA(v)
	pg.Due = pg.Date(t.FirstResponseDue)
	if !t.FirstResponseAt.IsZero() {
		pg.FirstResponse = pg.Date(t.FirstResponseAt)
	} else {
		pg.Overdue = t.FirstResponseDue.Before(h.desk.Now())
	}

	// Form fields in the order the request type declares them, then any
	// others stored under an older policy.
	var ids []string
	if rt, ok := p.RequestType(t.RequestType); ok {
		for _, f := range rt.Fields {
			if _, ok := t.Fields[f.ID]; ok {
				ids = append(ids, f.ID)
			}
		}
	}
	var rest []string
	for k := range t.Fields {
		if !slices.Contains(ids, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range append(ids, rest...) {
		fv := fieldView{Label: k, Value: t.Fields[k]}
		if at, ok := cat.Attribute(k); ok {
			fv.Label = at.Label.In(lang)
			fv.Category = at.Category
			for _, o := range at.Options {
				if o.Value == fv.Value {
					fv.Value = o.Label.In(lang)
				}
			}
		}
		if v.Masking.Fields[k] == privacy.Masked {
			fv.Masked, fv.Value = true, t.Fields[k] // a label such as "[Zahlungsart]"
		}
		pg.Fields = append(pg.Fields, fv)
	}

	for _, c := range v.Consents {
		cv := consentView{Version: c.NoticeVersion, Language: pg.T("lang_" + c.Language), At: pg.Date(c.At)}
		if len(c.NoticeHash) >= 12 {
			cv.HashPrefix = c.NoticeHash[:12]
		}
		for _, x := range c.Purposes {
			label := x.Purpose
			if pp, ok := p.Purpose(x.Purpose); ok {
				label = pp.Label.In(lang)
			}
			cv.Purposes = append(cv.Purposes, purposeView{Label: label, Granted: x.Granted})
		}
		pg.Consents = append(pg.Consents, cv)
	}

	for _, m := range v.Messages {
		mv := messageView{Body: m.Body, At: pg.Date(m.CreatedAt), Internal: m.Visibility == ticket.Internal, Agent: m.Author == ticket.ByAgent}
		mv.Attachments = pg.attachmentViews(pg.Href, v.Attachments[m.ID])
		switch m.Author {
		case ticket.ByAgent:
			mv.Author = m.AgentName
			if mv.Author == "" {
				mv.Author = pg.T("author_agent")
			}
		case ticket.ByCustomer:
			mv.Author = t.Customer.Name
			if mv.Author == "" {
				mv.Author = pg.T("author_customer_agent")
			}
		default:
			mv.Author = pg.T("author_system")
		}
		pg.Messages = append(pg.Messages, mv)
	}
	pg.setPII(t, v.Messages)
	pg.setMasking(v, cat)

	for _, c := range v.Changes {
		cv := changeView{Actor: c.Actor, Field: pg.T("change_" + c.Field), At: pg.Date(c.CreatedAt)}
		if c.ActorID == 0 {
			switch c.Actor {
			case "customer":
				cv.Actor = pg.T("actor_customer")
			default:
				cv.Actor = pg.T("actor_system")
			}
		}
		value := func(s string) string {
			switch c.Field {
			case "status", "created":
				if s == "" {
					return ""
				}
				return pg.StatusName(ticket.Status(s))
			case "priority":
				return pg.PriorityName(ticket.Priority(s))
			case "department":
				return h.deptName(s, lang)
			case "assignment":
				return pg.T("assignment_" + s)
			case "assignee":
				if s == "" {
					return pg.T("nobody")
				}
				n, _ := strconv.ParseInt(s, 10, 64)
				if name, ok := names[n]; ok {
					return name
				}
			}
			return s
		}
		cv.From, cv.To = value(c.From), value(c.To)
		cv.Reason = pg.Reason(c.Reason)
		pg.Changes = append(pg.Changes, cv)
	}

	// Reply form: the status after a reply is the life-cycle default or a
	// status the ticket may move to.
	pg.ReplyStatuses = append(pg.ReplyStatuses, formOption{Value: "", Label: pg.T("status_default"), Selected: true})
	for _, s := range ticket.Next(t.Status) {
		pg.ReplyStatuses = append(pg.ReplyStatuses, formOption{Value: string(s), Label: pg.StatusName(s)})
	}

	// Update form.
	pg.StatusOptions = append(pg.StatusOptions, formOption{Value: string(t.Status), Label: pg.StatusName(t.Status), Selected: true})
	for _, s := range ticket.Next(t.Status) {
		pg.StatusOptions = append(pg.StatusOptions, formOption{Value: string(s), Label: pg.StatusName(s)})
	}
	for _, x := range ticket.Priorities {
		pg.PriorityOptions = append(pg.PriorityOptions, formOption{Value: string(x), Label: pg.PriorityName(x), Selected: x == t.Priority})
	}
	for _, d := range p.Departments {
		pg.DepartmentOptions = append(pg.DepartmentOptions, formOption{Value: d.ID, Label: d.Name.In(lang), Selected: d.ID == t.Department})
	}
	pg.AssigneeOptions = append(pg.AssigneeOptions, formOption{Value: "", Label: pg.T("nobody"), Selected: t.AssigneeID == 0})
	for _, x := range agents {
		if x.Disabled && x.ID != t.AssigneeID {
			continue
		}
		pg.AssigneeOptions = append(pg.AssigneeOptions, formOption{Value: strconv.FormatInt(x.ID, 10), Label: x.Name, Selected: x.ID == t.AssigneeID})
	}
	pg.UpdateErrors = map[string]string{}
	if err := h.setDeletion(r, pg, a, t); err != nil {
		return nil, err
	}
	return pg, nil
}

// deptName returns a department's name, or its id when the policy no
// longer has it.
func (h *Handler) deptName(id, lang string) string {
	if d, ok := h.desk.Policy().Department(id); ok {
		return d.Name.In(lang)
	}
	return id
}

// ticketID parses the {number} of a ticket route.
func ticketID(r *http.Request) (int64, error) {
	id, err := ticket.ParseNumber(r.PathValue("number"))
	if err != nil {
		return 0, errNotFound
	}
	return id, nil
}
