package desk

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"frist/internal/fault"
	"frist/internal/sla"
	"frist/internal/ticket"
)

// TrainingSchema names the version of the training dataset format. A
// reader refuses any other; a later, incompatible format gets a new
// version.
const TrainingSchema = "frist-training/1"

// TrainingDataset is a training dataset: tickets chosen from an
// installation with every customer and agent under a pseudonym, sensitive
// fields removed, personal data in free text replaced by labels, no
// attachments, and every time shifted by one offset that is not stored.
// As JSON its keys come in this order, the tickets last, so that a
// dataset is written and read one ticket at a time (docs/training.md
// describes every field).
type TrainingDataset struct {
	Schema      string           `json:"schema"`       // TrainingSchema
	Language    string           `json:"language"`     // language of the agents' pseudonyms: "de" or "en"
	Policy      string           `json:"policy"`       // the policy (YAML) of the source, without personal data
	TicketCount int              `json:"ticket_count"` // how many tickets follow
	Tickets     []TrainingTicket `json:"tickets"`
}

// TrainingTicket is one ticket of a training dataset.
type TrainingTicket struct {
	// Number is a new ticket number, unrelated to the source's; the
	// dataset holds no mapping.
	Number           string            `json:"number"`
	RequestType      string            `json:"request_type"`
	Department       string            `json:"department"`
	Status           ticket.Status     `json:"status"`
	Priority         ticket.Priority   `json:"priority"`
	Language         string            `json:"language"`
	Subject          string            `json:"subject"` // personal data replaced
	Customer         TrainingPerson    `json:"customer"`
	Assignee         *TrainingPerson   `json:"assignee"` // null when unassigned
	Tags             []string          `json:"tags"`
	Fields           map[string]string `json:"fields"` // sensitive ones removed, contact data pseudonymised
	NoticeVersion    string            `json:"notice_version"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        time.Time         `json:"updated_at"`
	FirstResponseDue time.Time         `json:"first_response_due"`
	FirstResponseAt  *time.Time        `json:"first_response_at"`
	ClosedAt         *time.Time        `json:"closed_at"`
	SLA              *sla.State        `json:"sla"` // the SLA clocks; null for tickets without
	Messages         []TrainingMessage `json:"messages"`
	History          []TrainingChange  `json:"history"`
	Consents         []TrainingConsent `json:"consents"`
	SLAEvents        []TrainingSLA     `json:"sla_events"`
}

// TrainingPerson is a customer or an agent under a pseudonym.
type TrainingPerson struct {
	Code     string `json:"code"`     // six hex digits: the same person has the same code in every dataset of the source
	Name     string `json:"name"`     // e.g. "Kunde 7F3A9C"
	Email    string `json:"email"`    // under example.invalid, where nothing can be sent
	Language string `json:"language"` // the customer's language; the dataset's for agents
}

// TrainingMessage is a public reply or internal note.
type TrainingMessage struct {
	Visibility ticket.Visibility `json:"visibility"`
	Author     ticket.Author     `json:"author"`
	Agent      *TrainingPerson   `json:"agent"` // the writing agent; null for customers and the system
	Body       string            `json:"body"`  // personal data replaced
	CreatedAt  time.Time         `json:"created_at"`
}

// TrainingChange is an entry of a ticket's history. For the assignee,
// from and to are agents' codes.
type TrainingChange struct {
	ActorKind string          `json:"actor_kind"` // agent, customer or system
	Actor     *TrainingPerson `json:"actor"`      // the agent; null otherwise
	Field     string          `json:"field"`      // created, status, priority, department, assignee, assignment or tags
	From      string          `json:"from"`
	To        string          `json:"to"`
	Reason    string          `json:"reason"`
	CreatedAt time.Time       `json:"created_at"`
}

// TrainingConsent is the consent record of a ticket.
type TrainingConsent struct {
	NoticeVersion string          `json:"notice_version"`
	NoticeHash    string          `json:"notice_sha256"`
	Language      string          `json:"language"`
	Accepted      bool            `json:"accepted"`
	LegalBasis    string          `json:"legal_basis"`
	Purposes      map[string]bool `json:"purposes"` // optional purpose → granted
	At            time.Time       `json:"at"`
}

// TrainingSLA is an SLA warning, breach or escalation.
type TrainingSLA struct {
	Department string    `json:"department"`
	Policy     string    `json:"policy"`
	Target     string    `json:"target"`
	Kind       string    `json:"kind"`
	Action     string    `json:"action"`
	Due        time.Time `json:"due"`
	At         time.Time `json:"at"`
}

// TrainingSink receives a training dataset piece by piece: Begin with
// the dataset's header (Tickets empty), Ticket for each ticket, End.
// The JSON file and the training database are sinks.
type TrainingSink interface {
	Begin(h *TrainingDataset) error
	Ticket(t *TrainingTicket) error
	End() error
}

// trainingJSON writes a dataset as JSON, one ticket per line.
type trainingJSON struct {
	w *bufio.Writer
	n int
}

// NewTrainingJSON returns a sink that writes the dataset as JSON to w.
func NewTrainingJSON(w io.Writer) TrainingSink {
	return &trainingJSON{w: bufio.NewWriterSize(w, 64<<10)}
}

func (j *trainingJSON) Begin(h *TrainingDataset) error {
	j.w.WriteString("{")
	for i, kv := range []struct {
		key string
		val any
	}{{"schema", h.Schema}, {"language", h.Language}, {"policy", h.Policy}, {"ticket_count", h.TicketCount}} {
		b, err := json.Marshal(kv.val)
		if err != nil {
			return err
		}
		if i > 0 {
			j.w.WriteString(",\n")
		}
		fmt.Fprintf(j.w, "%q: %s", kv.key, b)
	}
	_, err := j.w.WriteString(",\n\"tickets\": [\n")
	return err
}

func (j *trainingJSON) Ticket(t *TrainingTicket) error {
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if j.n > 0 {
		j.w.WriteString(",\n")
	}
	j.n++
	_, err = j.w.Write(b)
	return err
}

func (j *trainingJSON) End() error {
	j.w.WriteString("\n]}\n")
	return j.w.Flush()
}

// errNotDataset answers a file that is not a training dataset.
func errNotDataset(format string, args ...any) error {
	return fault.Errorf(fault.Invalid, "This file is not a training dataset ("+TrainingSchema+"): "+format, args...)
}

// ReadTrainingJSON reads a JSON training dataset from r and hands it to
// sink, one ticket at a time: the schema must come first and be
// TrainingSchema, the tickets last. A file of another shape gives a
// fault.Invalid error; sink's errors are returned as they are.
func ReadTrainingJSON(r io.Reader, sink TrainingSink) error {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	dec.DisallowUnknownFields()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errNotDataset("it does not start with a JSON object.")
	}
	var h TrainingDataset
	begun, tickets := false, 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errNotDataset("%v", err)
		}
		key, _ := tok.(string)
		if h.Schema == "" && key != "schema" {
			return errNotDataset("the first key must be \"schema\".")
		}
		switch key {
		case "schema":
			if err := dec.Decode(&h.Schema); err != nil || h.Schema != TrainingSchema {
				return errNotDataset("it declares another schema.")
			}
		case "language":
			err = dec.Decode(&h.Language)
		case "policy":
			err = dec.Decode(&h.Policy)
		case "ticket_count":
			err = dec.Decode(&h.TicketCount)
		case "tickets":
			if begun {
				return errNotDataset("\"tickets\" appears twice.")
			}
			begun = true
			if err := sink.Begin(&h); err != nil {
				return err
			}
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return errNotDataset("\"tickets\" is not a list.")
			}
			for dec.More() {
				var t TrainingTicket
				if err := dec.Decode(&t); err != nil {
					return errNotDataset("ticket %d: %v", tickets+1, jsonProblem(err))
				}
				tickets++
				if err := sink.Ticket(&t); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return errNotDataset("%v", err)
			}
		default:
			return errNotDataset("unknown key %q.", key)
		}
		if err != nil {
			return errNotDataset("%q: %v", key, jsonProblem(err))
		}
	}
	if _, err := dec.Token(); err != nil {
		return errNotDataset("%v", err)
	}
	if !begun {
		return errNotDataset("it has no \"tickets\".")
	}
	if h.TicketCount != tickets {
		return errNotDataset("it announces %d tickets but holds %d; the file may be cut off.", h.TicketCount, tickets)
	}
	return sink.End()
}

// jsonProblem describes a decoding error by where and what, never by the
// value found (which may be anything a file holds).
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return fmt.Sprintf("%s has the wrong type", te.Field)
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the file ends early"
	}
	msg := err.Error()
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}
