package api

import (
	"net/http"

	"frist/internal/desk"
)

// trainingExportInput chooses the tickets of a training dataset; every
// field is optional and they narrow the choice together.
type trainingExportInput struct {
	Tickets     []string `json:"tickets"`      // ticket numbers, e.g. ["F-100042"]
	RequestType string   `json:"request_type"` // a request type id
	Department  string   `json:"department"`   // a department id
	Status      []string `json:"status"`       // ticket statuses
	Since       string   `json:"since"`        // YYYY-MM-DD: received on or after
	Until       string   `json:"until"`        // YYYY-MM-DD: received on or before
	Sample      int      `json:"sample"`       // choose this many at random; 0: all matching
	Format      string   `json:"format"`       // json (default) or sqlite
	Language    string   `json:"language"`     // de (default) or en: the agents' pseudonyms
}

// trainingExportCreate exports a training dataset (POST
// /api/v1/training/exports; administrators and privacy officers, desk
// checks). The answer is the dataset itself, streamed: JSON
// (frist-training/1) or, with format sqlite, a SQLite training database.
// A bad choice is a problem document and records nothing; an export is
// recorded in the audit trail.
func (a *API) trainingExportCreate(c *call) (any, error) {
	var in trainingExportInput
	if err := decode(c.r, &in); err != nil {
		return nil, err
	}
	plan, err := a.desk.PlanTrainingExport(c.r.Context(), c.agent, desk.TrainingChoice{
		Numbers: in.Tickets, RequestType: in.RequestType, Department: in.Department, Statuses: in.Status,
		Since: in.Since, Until: in.Until, Sample: in.Sample, Format: in.Format, Language: in.Language,
	})
	if err != nil {
		return nil, err
	}
	p := a.desk.Policy()
	name, ctype := "frist-training-"+a.desk.Now().In(p.Location()).Format("2006-01-02"), "application/json"
	if plan.Choice.Format == desk.TrainingSQLite {
		name, ctype = name+".db", "application/vnd.sqlite3"
	} else {
		name += ".json"
	}
	dl := &download{w: c.w, name: name, contentType: ctype}
	if _, err := a.desk.WriteTraining(c.r.Context(), c.agent, plan, dl); err != nil {
		if !dl.started {
			return nil, err
		}
		// The answer has begun; the client gets a cut-off file, which a
		// reader notices (the dataset names its number of tickets).
		a.log.Error("training export", "err", err)
	}
	return streamed{}, nil
}

// download is an answer that becomes a file download with its first
// byte, so that an error before it still answers a problem document.
type download struct {
	w                 http.ResponseWriter
	name, contentType string
	started           bool
}

func (d *download) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.w.Header()
		h.Set("Content-Type", d.contentType)
		h.Set("Content-Disposition", `attachment; filename="`+d.name+`"`)
		h.Set("Cache-Control", "no-store")
		d.w.WriteHeader(http.StatusOK)
	}
	return d.w.Write(p)
}
