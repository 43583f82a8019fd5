package desk

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"frist/internal/events"
	"frist/internal/fault"
	"frist/internal/store"
)

// Activities an agent reports on a ticket.
const (
	Viewing  = "viewing"
	Replying = "replying"
)

// PresenceTTL is how long a presence report holds; pages repeat theirs
// every 15 seconds while open.
const PresenceTTL = 40 * time.Second

// Presence says that an agent is looking at or replying to a ticket right
// now. It is staff data (the agent's display name), never customer data.
type Presence struct {
	TicketID int64     `json:"ticket_id"`
	AgentID  int64     `json:"agent_id"`
	Name     string    `json:"name"`
	Activity string    `json:"activity"` // Viewing or Replying
	Until    time.Time `json:"until"`    // when the report expires
}

// presenceBoard keeps the unexpired presence reports of all nodes: its
// own, and those of other nodes, which arrive as KindTicketPresence events
// on the bus. It starts following the bus on first use.
type presenceBoard struct {
	once  sync.Once
	mu    sync.Mutex
	byID  map[int64]map[int64]Presence // ticket → agent → report
	swept time.Time                    // when expired reports were last removed
}

// ReportPresence records that a is viewing or replying to ticket id, for
// PresenceTTL, tells every node through a KindTicketPresence event, and
// returns the other agents present on the ticket. It returns fault.Invalid
// for another activity, and fault.NotFound when the ticket does not exist
// or a may not see it. Nothing is written to the database.
func (d *Desk) ReportPresence(ctx context.Context, a *Agent, id int64, activity string) ([]Presence, error) {
	if activity != Viewing && activity != Replying {
		return nil, fault.Fields("Report viewing or replying.", fault.FieldError{Field: "activity", Message: "invalid_option"})
	}
	var department string
	err := d.db.Read(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTicket(id)
		if err != nil {
			return err
		}
		if !mayView(a, t) {
			return errNotFound
		}
		department = t.Department
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.followPresence()
	now := d.clock.Now()
	p := Presence{TicketID: id, AgentID: a.ID, Name: a.Name, Activity: activity, Until: now.Add(PresenceTTL)}
	d.presence.put(p, now)
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := d.bus.Publish(pctx, events.Event{Kind: events.KindTicketPresence, TicketID: id, Department: department, At: now, Data: b}); err != nil {
		d.log.Warn("publish", "kind", events.KindTicketPresence, "err", err)
	}
	return d.presence.others(id, a.ID, now), nil
}

// PresentOn returns the agents other than a present on ticket id, by
// name. It does not check that a may see the ticket; callers show it
// beside a ticket they loaded for a.
func (d *Desk) PresentOn(a *Agent, id int64) []Presence {
	d.followPresence()
	return d.presence.others(id, a.ID, d.clock.Now())
}

// followPresence starts, once, recording the presence events of all
// nodes until the desk closes or the bus does.
func (d *Desk) followPresence() {
	d.presence.once.Do(func() {
		sub := d.bus.Subscribe(256)
		go func() {
			defer sub.Close()
			for {
				select {
				case <-d.stop:
					return
				case e, ok := <-sub.C:
					if !ok {
						return
					}
					if e.Kind != events.KindTicketPresence {
						continue
					}
					var p Presence
					if json.Unmarshal(e.Data, &p) == nil && p.TicketID == e.TicketID && p.AgentID != 0 {
						d.presence.put(p, d.clock.Now())
					}
				}
			}
		}()
	})
}

// put records p. Once per PresenceTTL it also forgets all expired
// reports, so that tickets nobody looks at again do not hold memory.
func (b *presenceBoard) put(p Presence, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.byID == nil {
		b.byID = map[int64]map[int64]Presence{}
	}
	if now.Sub(b.swept) > PresenceTTL {
		b.swept = now
		for tid, agents := range b.byID {
			for aid, q := range agents {
				if !q.Until.After(now) {
					delete(agents, aid)
				}
			}
			if len(agents) == 0 {
				delete(b.byID, tid)
			}
		}
	}
	agents := b.byID[p.TicketID]
	if agents == nil {
		agents = map[int64]Presence{}
		b.byID[p.TicketID] = agents
	}
	if old, ok := agents[p.AgentID]; !ok || !old.Until.After(p.Until) {
		agents[p.AgentID] = p
	}
}

// others returns the unexpired reports on a ticket except the agent's own,
// by name, and forgets expired ones.
func (b *presenceBoard) others(ticketID, self int64, now time.Time) []Presence {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []Presence
	for id, p := range b.byID[ticketID] {
		switch {
		case !p.Until.After(now):
			delete(b.byID[ticketID], id)
		case id != self:
			out = append(out, p)
		}
	}
	if len(b.byID[ticketID]) == 0 {
		delete(b.byID, ticketID)
	}
	slices.SortFunc(out, func(x, y Presence) int { return strings.Compare(x.Name, y.Name) })
	return out
}
