package routing

// Strategy is how a department hands new tickets to its agents.
type Strategy string

// Strategies.
const (
	Manual      Strategy = "manual"       // nobody is picked; agents take tickets from the queue
	RoundRobin  Strategy = "round_robin"  // present agents in turn
	LeastLoaded Strategy = "least_loaded" // the present agent with the fewest open tickets, weighted by priority
	SkillBased  Strategy = "skill_based"  // least loaded among present agents with every required skill
)

// Strategies lists the strategies in the order the admin UI offers them.
var Strategies = []Strategy{Manual, RoundRobin, LeastLoaded, SkillBased}

// Valid reports whether s is a known strategy.
func (s Strategy) Valid() bool {
	for _, x := range Strategies {
		if s == x {
			return true
		}
	}
	return false
}
