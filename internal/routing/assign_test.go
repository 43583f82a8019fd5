package routing_test

import (
	"testing"

	"frist/internal/routing"
	"frist/internal/ticket"

	"github.com/google/go-cmp/cmp"
)

// ticketReq is one ticket to assign in a table case.
type ticketReq struct {
	priority ticket.Priority
	skills   []string
}

func TestPoolAssign(t *testing.T) {
	t.Parallel()
	present := func(id int64, load int) routing.Candidate {
		return routing.Candidate{ID: id, Present: true, Load: load, Open: load / 2}
	}
	normal := ticketReq{priority: ticket.Normal}
	for _, tc := range []struct {
		name    string
		pool    routing.Pool
		tickets []ticketReq
		want    []routing.Choice
		cursor  int64 // after the run
	}{
		{
			name:    "ManualPicksNobody",
			pool:    routing.Pool{Strategy: routing.Manual, Candidates: []routing.Candidate{present(1, 0)}},
			tickets: []ticketReq{normal},
			want:    []routing.Choice{{}},
		},
		{
			name:    "NoAgents",
			pool:    routing.Pool{Strategy: routing.LeastLoaded},
			tickets: []ticketReq{normal},
			want:    []routing.Choice{{Reason: routing.NoAgents}},
		},
		{
			name: "RoundRobinTakesTurnsFromTheCursor",
			pool: routing.Pool{Strategy: routing.RoundRobin, Cursor: 7, Candidates: []routing.Candidate{
				present(3, 0), present(9, 10), present(7, 0),
			}},
			tickets: []ticketReq{normal, normal, normal, normal},
			want: []routing.Choice{
				{AgentID: 9, Reason: "strategy:round_robin"},
				{AgentID: 3, Reason: "strategy:round_robin"},
				{AgentID: 7, Reason: "strategy:round_robin"},
				{AgentID: 9, Reason: "strategy:round_robin"},
			},
			cursor: 9,
		},
		{
			name: "RoundRobinSkipsAbsentAndCapped",
			pool: routing.Pool{Strategy: routing.RoundRobin, Candidates: []routing.Candidate{
				{ID: 1, Present: false},
				{ID: 2, Present: true, MaxOpen: 1, Open: 1},
				{ID: 3, Present: true, MaxOpen: 2, Open: 1},
			}},
			tickets: []ticketReq{normal, normal},
			want: []routing.Choice{
				{AgentID: 3, Reason: "strategy:round_robin"},
				{Reason: routing.AllAtCap},
			},
			cursor: 3,
		},
		{
			name: "LeastLoadedWeighsPriorities",
			pool: routing.Pool{Strategy: routing.LeastLoaded, Candidates: []routing.Candidate{
				present(1, 0), present(2, 3),
			}},
			// 1 gets the urgent ticket (load 4), then 2 (3 < 4) gets a
			// low one (4), then the tie goes round robin after 2: to 1.
			tickets: []ticketReq{{priority: ticket.Urgent}, {priority: ticket.Low}, normal, normal},
			want: []routing.Choice{
				{AgentID: 1, Reason: "strategy:least_loaded"},
				{AgentID: 2, Reason: "strategy:least_loaded"},
				{AgentID: 1, Reason: "strategy:least_loaded"},
				{AgentID: 2, Reason: "strategy:least_loaded"},
			},
			cursor: 2,
		},
		{
			name: "LeastLoadedEqualAgentsTakeTurns",
			pool: routing.Pool{Strategy: routing.LeastLoaded, Candidates: []routing.Candidate{
				present(1, 0), present(2, 0), present(3, 0),
			}},
			tickets: []ticketReq{normal, normal, normal, normal},
			want: []routing.Choice{
				{AgentID: 1, Reason: "strategy:least_loaded"},
				{AgentID: 2, Reason: "strategy:least_loaded"},
				{AgentID: 3, Reason: "strategy:least_loaded"},
				{AgentID: 1, Reason: "strategy:least_loaded"},
			},
			cursor: 1,
		},
		{
			name: "LeastLoadedNonePresent",
			pool: routing.Pool{Strategy: routing.LeastLoaded, Candidates: []routing.Candidate{
				{ID: 1}, {ID: 2},
			}},
			tickets: []ticketReq{normal},
			want:    []routing.Choice{{Reason: routing.NonePresent}},
		},
		{
			name: "LeastLoadedIgnoresSkills",
			pool: routing.Pool{Strategy: routing.LeastLoaded, Candidates: []routing.Candidate{
				present(1, 0),
			}},
			tickets: []ticketReq{{priority: ticket.Normal, skills: []string{"lang:fr"}}},
			want:    []routing.Choice{{AgentID: 1, Reason: "strategy:least_loaded"}},
			cursor:  1,
		},
		{
			name: "SkillBasedNeedsEverySkill",
			pool: routing.Pool{Strategy: routing.SkillBased, Candidates: []routing.Candidate{
				{ID: 1, Present: true, Skills: []string{"lang:fr"}},
				{ID: 2, Present: true, Skills: []string{"lang:FR", "billing"}, Load: 20},
				{ID: 3, Present: false, Skills: []string{"lang:fr", "billing"}},
			}},
			tickets: []ticketReq{
				{priority: ticket.Normal, skills: []string{"billing", "lang:fr"}},
				{priority: ticket.Normal, skills: []string{"lang:fr"}},
				{priority: ticket.Normal, skills: []string{"lang:it"}},
				normal,
			},
			want: []routing.Choice{
				{AgentID: 2, Reason: "strategy:skill_based"},
				{AgentID: 1, Reason: "strategy:skill_based"},
				{Reason: routing.NoSkillMatch},
				{AgentID: 1, Reason: "strategy:skill_based"},
			},
			cursor: 1,
		},
		{
			name: "SkillBasedCapBeatsSkill",
			pool: routing.Pool{Strategy: routing.SkillBased, Candidates: []routing.Candidate{
				{ID: 1, Present: true},
				{ID: 2, Present: true, Skills: []string{"lang:fr"}, MaxOpen: 1, Open: 1},
			}},
			tickets: []ticketReq{{priority: ticket.Normal, skills: []string{"lang:fr"}}},
			want:    []routing.Choice{{Reason: routing.AllAtCap}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.pool
			var got []routing.Choice
			for _, x := range tc.tickets {
				got = append(got, p.Assign(x.priority, x.skills))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("choices (-want +got):\n%s", diff)
			}
			if p.Cursor != tc.cursor {
				t.Errorf("cursor = %d, want %d", p.Cursor, tc.cursor)
			}
		})
	}
}

func TestPoolAssignCountsLoad(t *testing.T) {
	t.Parallel()
	p := routing.Pool{Strategy: routing.LeastLoaded, Candidates: []routing.Candidate{{ID: 1, Present: true, MaxOpen: 2}}}
	p.Assign(ticket.Urgent, nil)
	p.Assign(ticket.Low, nil)
	if c := p.Candidates[0]; c.Open != 2 || c.Load != 5 {
		t.Errorf("candidate = %+v, want open 2, load 5", c)
	}
	if got := p.Assign(ticket.Normal, nil); got.AgentID != 0 || got.Reason != routing.AllAtCap {
		t.Errorf("third ticket = %+v, want nobody at cap", got)
	}
}

func TestWeight(t *testing.T) {
	t.Parallel()
	for p, want := range map[ticket.Priority]int{ticket.Low: 1, ticket.Normal: 2, ticket.High: 3, ticket.Urgent: 4, "": 2} {
		if got := routing.Weight(p); got != want {
			t.Errorf("Weight(%q) = %d, want %d", p, got, want)
		}
	}
}
