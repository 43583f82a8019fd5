package routing

import (
	"cmp"
	"slices"
	"strings"

	"frist/internal/ticket"
)

// Weight is what one active ticket of a priority adds to an agent's load
// under least-loaded and skill-based assignment: low 1, normal 2, high 3,
// urgent 4. An agent with one urgent ticket is as busy as one with two
// normal ones. Unknown priorities count as normal.
func Weight(p ticket.Priority) int {
	switch p {
	case ticket.Low:
		return 1
	case ticket.High:
		return 3
	case ticket.Urgent:
		return 4
	}
	return 2
}

// Candidate is an agent of a department as assignment sees them at one
// moment.
type Candidate struct {
	ID      int64    // the agent's account id
	Present bool     // available and, with working hours, within them
	Skills  []string // e.g. "lang:fr"; compared case-insensitively
	MaxOpen int      // most active tickets the agent may hold; 0: no cap
	Open    int      // active tickets (new, open, waiting) assigned now
	Load    int      // the same tickets, each counted with its Weight
}

// Why nobody was chosen; the values are stable keys recorded in the
// ticket's history.
const (
	NoAgents     = "no_agents"      // the department has no agent who may get tickets
	NonePresent  = "none_present"   // every agent is absent or outside working hours
	NoSkillMatch = "no_skill_match" // no present agent has every required skill
	AllAtCap     = "all_at_cap"     // every fitting agent holds their cap of open tickets
)

// Choice is the outcome of one assignment decision.
type Choice struct {
	AgentID int64  // the chosen agent, or 0
	Reason  string // "strategy:<name>" for a choice; NoAgents, NonePresent, NoSkillMatch or AllAtCap for none
}

// Pool is a department's agents for a run of assignments: intake assigns
// a whole batch from one pool, which counts each assignment at once so
// that the next ticket of the batch sees it.
type Pool struct {
	Strategy   Strategy
	Candidates []Candidate
	Cursor     int64 // the agent who got the previous ticket in turn; 0 at the start
}

// Assign chooses an agent for a ticket of the priority that needs the
// skills, and records the choice in the pool (load, open count, cursor).
// Under manual assignment it chooses nobody with an empty reason.
//
// Round robin takes the next present agent below their cap after the
// cursor, in account id order. Least loaded takes the present agent below
// their cap with the smallest load; skill based does the same among the
// agents with every required skill (without required skills, all
// agents). Ties go round robin, so that equal agents take turns.
func (p *Pool) Assign(priority ticket.Priority, skills []string) Choice {
	if p.Strategy == Manual || !p.Strategy.Valid() {
		return Choice{}
	}
	if len(p.Candidates) == 0 {
		return Choice{Reason: NoAgents}
	}
	var fit []int
	why := NonePresent
	for i, c := range p.Candidates {
		if !c.Present {
			continue
		}
		if p.Strategy == SkillBased && !hasSkills(c.Skills, skills) {
			if why == NonePresent {
				why = NoSkillMatch
			}
			continue
		}
		why = AllAtCap
		if c.MaxOpen > 0 && c.Open >= c.MaxOpen {
			continue
		}
		fit = append(fit, i)
	}
	if len(fit) == 0 {
		return Choice{Reason: why}
	}
	// Turn order: account ids after the cursor first, then from the start.
	slices.SortFunc(fit, func(a, b int) int {
		x, y := p.Candidates[a].ID, p.Candidates[b].ID
		if ax, ay := x <= p.Cursor, y <= p.Cursor; ax != ay {
			if ax {
				return 1
			}
			return -1
		}
		return cmp.Compare(x, y)
	})
	best := fit[0]
	if p.Strategy != RoundRobin {
		for _, i := range fit[1:] {
			if p.Candidates[i].Load < p.Candidates[best].Load {
				best = i
			}
		}
	}
	c := &p.Candidates[best]
	c.Open++
	c.Load += Weight(priority)
	p.Cursor = c.ID
	return Choice{AgentID: c.ID, Reason: "strategy:" + string(p.Strategy)}
}

// hasSkills reports whether have contains every skill of need, ignoring
// case.
func hasSkills(have, need []string) bool {
	for _, n := range need {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, n) }) {
			return false
		}
	}
	return true
}
