package api

import (
	"strconv"

	"frist/internal/auth"
	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/policy"
)

// userJSON is an account as administrators see it, with its assignment
// settings. It carries no load figures: per-agent views are off unless
// the policy switches them on (organisation.agent_performance_views).
type userJSON struct {
	ID          int64     `json:"id"`
	Email       string    `json:"email"`
	Name        string    `json:"name"`
	Role        auth.Role `json:"role"`
	Disabled    bool      `json:"disabled"`
	CreatedAt   string    `json:"created_at"`
	Departments []string  `json:"departments"` // empty: all departments
	Available   bool      `json:"available"`
	Skills      []string  `json:"skills"`
	MaxOpen     int       `json:"max_open"` // 0: no cap
	Calendar    string    `json:"calendar"` // "": around the clock
}

func newUserJSON(p *policy.Policy, u *desk.Agent) userJSON {
	out := userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Disabled: u.Disabled, CreatedAt: stamp(p, u.CreatedAt),
		Departments: u.Departments, Available: u.Available, Skills: u.Skills, MaxOpen: u.MaxOpen, Calendar: u.Calendar}
	if out.Departments == nil {
		out.Departments = []string{}
	}
	if out.Skills == nil {
		out.Skills = []string{}
	}
	return out
}

// userPatch changes an account's assignment settings; keys left out stay
// as they are.
type userPatch struct {
	Available   *bool     `json:"available,omitempty"`
	Skills      *[]string `json:"skills,omitempty"`
	MaxOpen     *int      `json:"max_open,omitempty"`
	Calendar    *string   `json:"calendar,omitempty"`
	Departments *[]string `json:"departments,omitempty"` // empty: all departments
}

// userUpdate changes an account's presence, skills, cap, working-hours
// calendar and departments (administrators). Bad values change nothing.
func (a *API) userUpdate(c *call) (any, error) {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, fault.Errorf(fault.NotFound, "Account not found.")
	}
	var in userPatch
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	u, err := a.desk.UpdateAgent(c.r.Context(), c.agent, id, desk.AgentUpdate(in))
	if err != nil {
		return nil, err
	}
	return newUserJSON(a.desk.Policy(), u), nil
}

// userList answers a page of accounts in id order (administrators):
// ?limit=1..200 (default 50) &cursor=<next_cursor>.
func (a *API) userList(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := onlyParams(q, "limit", "cursor"); err != nil {
		return nil, err
	}
	n, err := limit(q)
	if err != nil {
		return nil, err
	}
	us, next, err := a.desk.AgentPage(c.r.Context(), c.agent, q.Get("cursor"), n)
	if err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	out := list[userJSON]{Items: make([]userJSON, 0, len(us)), NextCursor: next}
	for _, u := range us {
		out.Items = append(out.Items, newUserJSON(p, u))
	}
	return out, nil
}

// availabilityInput switches the caller's presence.
type availabilityInput struct {
	Available *bool `json:"available"`
}

// availabilityJSON is the caller's presence: available is the toggle,
// present whether they get new tickets now (available and within their
// working hours).
type availabilityJSON struct {
	Available bool `json:"available"`
	Present   bool `json:"present"`
}

// availabilityUpdate switches the calling agent's presence. Absent agents
// get no new tickets and keep theirs.
func (a *API) availabilityUpdate(c *call) (any, error) {
	var in availabilityInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	if in.Available == nil {
		return nil, fault.Fields("available is required.", fault.FieldError{Field: "available", Message: "required"})
	}
	if err := a.desk.SetAvailability(c.r.Context(), c.agent, *in.Available); err != nil {
		return nil, err
	}
	me := *c.agent
	me.Available = *in.Available
	return availabilityJSON{Available: me.Available, Present: a.desk.Present(&me)}, nil
}
