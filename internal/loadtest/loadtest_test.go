package loadtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"frist/internal/loadtest"
)

const testNotice = "2026-11-01"

var testTypes = []loadtest.RequestType{
	{ID: "general_question", Name: "General question", Fields: []loadtest.Field{
		{ID: "customer_number", Label: "Customer number", Category: "contact", Purpose: "handling"},
	}},
	{ID: "invoice_question", Name: "Invoice question", Fields: []loadtest.Field{
		{ID: "customer_number", Label: "Customer number", Required: true, Category: "contact", Purpose: "handling"},
		{ID: "invoice_number", Label: "Invoice number", Category: "content", Purpose: "billing"},
		{ID: "payment_method", Label: "Payment method", Category: "sensitive", Purpose: "billing"},
	}},
	{ID: "technical_problem", Name: "Technical problem", Fields: []loadtest.Field{
		{ID: "customer_number", Label: "Customer number", Category: "contact", Purpose: "handling"},
		{ID: "product", Label: "Product", Required: true, Category: "content", Purpose: "handling"},
		{ID: "phone", Label: "Phone", Category: "contact", Purpose: "handling"},
	}},
	{ID: "complaint", Name: "Complaint", Fields: []loadtest.Field{
		{ID: "order_number", Label: "Order number", Required: true, Category: "content", Purpose: "handling"},
		{ID: "contract_number", Label: "Contract number", Category: "content", Purpose: "handling"},
		{ID: "favourite_colour", Label: "Favourite colour", Required: true, Category: "content", Purpose: "handling"},
	}},
}

// fakeFrist mimics the intake API. It validates what the load test sends
// and fails every 10th request with 500.
func fakeFrist(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var count, invalid atomic.Int64
	required := map[string][]string{}
	for _, rt := range testTypes {
		for _, f := range rt.Fields {
			if f.Required {
				required[rt.ID] = append(required[rt.ID], f.ID)
			}
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/privacy-notice", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(loadtest.PrivacyNotice{Version: testNotice, Language: "de", Text: "Datenschutzhinweis"})
	})
	mux.HandleFunc("GET /api/v1/request-types", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(testTypes)
	})
	mux.HandleFunc("POST /api/v1/requests", func(w http.ResponseWriter, r *http.Request) {
		n := count.Add(1)
		var req loadtest.IntakeRequest
		ok := r.Header.Get("Content-Type") == "application/json" &&
			json.NewDecoder(r.Body).Decode(&req) == nil &&
			req.Consent.NoticeVersion == testNotice && req.Consent.Accepted &&
			strings.HasSuffix(req.Email, "@example.org")
		for _, id := range required[req.RequestType] {
			ok = ok && req.Fields[id] != ""
		}
		if !ok {
			invalid.Add(1)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if n%10 == 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"status":"new"}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &invalid
}

func TestRun(t *testing.T) {
	srv, invalid := fakeFrist(t)
	for _, baseline := range []bool{false, true} {
		res, err := loadtest.Run(t.Context(), loadtest.Options{
			Target:      srv.URL + "/",
			Requests:    200,
			Concurrency: 8,
			Baseline:    baseline,
			Seed:        42,
		})
		if err != nil {
			t.Fatalf("baseline=%v: Run: %v", baseline, err)
		}
		if invalid.Load() != 0 {
			t.Fatalf("baseline=%v: server rejected %d requests as invalid", baseline, invalid.Load())
		}
		if res.Requests != 200 || res.Errors != 20 {
			t.Errorf("baseline=%v: requests=%d errors=%d, want 200 and 20", baseline, res.Requests, res.Errors)
		}
		if res.Throughput <= 0 {
			t.Errorf("baseline=%v: throughput %v", baseline, res.Throughput)
		}
		if !(res.P50 <= res.P95 && res.P95 <= res.P99) {
			t.Errorf("baseline=%v: percentiles out of order: %v %v %v", baseline, res.P50, res.P95, res.P99)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "\n") {
			t.Errorf("report is not one line: %s", b)
		}
		if !baseline {
			if res.BaselineThroughput != nil || res.BaselineP99 != nil || res.Ratio != nil {
				t.Errorf("baseline fields set without Baseline: %s", b)
			}
			if strings.Contains(string(b), "baseline") {
				t.Errorf("baseline fields in report: %s", b)
			}
			continue
		}
		if res.BaselineThroughput == nil || res.BaselineP99 == nil || res.Ratio == nil {
			t.Fatalf("baseline fields missing: %s", b)
		}
		if *res.BaselineThroughput <= 0 || *res.BaselineP99 < 0 || *res.Ratio <= 0 {
			t.Errorf("implausible baseline: %s", b)
		}
		if want := res.Throughput / *res.BaselineThroughput; abs(*res.Ratio-want) > 0.001 {
			t.Errorf("ratio %v, want %v", *res.Ratio, want)
		}
	}
}

func TestRunErrors(t *testing.T) {
	for name, o := range map[string]loadtest.Options{
		"no target":      {Requests: 1, Concurrency: 1},
		"bad target":     {Target: "ftp://example.org", Requests: 1, Concurrency: 1},
		"no requests":    {Target: "http://127.0.0.1:1", Concurrency: 1},
		"no concurrency": {Target: "http://127.0.0.1:1", Requests: 1},
	} {
		if _, err := loadtest.Run(t.Context(), o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A target without the API fails before the run.
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	if _, err := loadtest.Run(t.Context(), loadtest.Options{Target: srv.URL, Requests: 1, Concurrency: 1}); err == nil {
		t.Error("missing API: no error")
	}
}

func TestMeasureCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	res, err := loadtest.Measure(ctx, 1000, 4, func(ctx context.Context, i int) error {
		if i == 10 {
			cancel()
		}
		return nil
	})
	if err == nil {
		t.Fatal("no error after cancel")
	}
	if res.Requests < 11 || res.Requests >= 1000 {
		t.Errorf("requests %d after cancel at 10", res.Requests)
	}
}

func TestGeneratorDeterministic(t *testing.T) {
	a := loadtest.NewGenerator(7, testNotice, testTypes)
	b := loadtest.NewGenerator(7, testNotice, testTypes)
	c := loadtest.NewGenerator(8, testNotice, testTypes)
	same := true
	for i := range 100 {
		x, y, z := a.Next(), b.Next(), c.Next()
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("request %d differs for the same seed", i)
		}
		same = same && reflect.DeepEqual(x, z)
	}
	if same {
		t.Error("different seeds give the same requests")
	}
}

func TestGeneratorContent(t *testing.T) {
	g := loadtest.NewGenerator(1, testNotice, testTypes)
	types := map[string]loadtest.RequestType{}
	for _, rt := range testTypes {
		types[rt.ID] = rt
	}
	langs := map[string]int{}
	seenType := map[string]bool{}
	optional := map[bool]int{} // filled or not, for optional fields
	messages := map[string]bool{}
	for range 1000 {
		r := g.Next()
		rt, ok := types[r.RequestType]
		if !ok {
			t.Fatalf("unknown request type %q", r.RequestType)
		}
		seenType[r.RequestType] = true
		langs[r.Language]++
		if r.Language != "de" && r.Language != "en" {
			t.Fatalf("language %q", r.Language)
		}
		local, domain, ok := strings.Cut(r.Email, "@")
		if !ok || domain != "example.org" || local == "" || strings.Contains(domain, "@") {
			t.Fatalf("email %q is not at example.org", r.Email)
		}
		if r.Name == "" || r.Subject == "" || len(r.Subject) > 200 {
			t.Fatalf("name %q, subject %q", r.Name, r.Subject)
		}
		if n := utf8.RuneCountInString(r.Message); n < 100 || n > 1500 {
			t.Fatalf("message of %d characters", n)
		}
		messages[r.Message] = true
		if r.Consent.NoticeVersion != testNotice || !r.Consent.Accepted || r.Consent.Purposes == nil {
			t.Fatalf("consent %+v", r.Consent)
		}
		declared := map[string]bool{}
		for _, f := range rt.Fields {
			declared[f.ID] = true
			v := r.Fields[f.ID]
			if f.Required && v == "" {
				t.Fatalf("%s: required field %s empty", rt.ID, f.ID)
			}
			if !f.Required {
				optional[v != ""]++
			}
			if v != "" && !validField(f.ID, v) {
				t.Fatalf("field %s = %q", f.ID, v)
			}
		}
		for id := range r.Fields {
			if !declared[id] {
				t.Fatalf("%s: undeclared field %s", rt.ID, id)
			}
		}
	}
	if langs["de"] < 300 || langs["en"] < 300 {
		t.Errorf("languages not mixed: %v", langs)
	}
	if len(seenType) != len(testTypes) {
		t.Errorf("only types %v used", seenType)
	}
	if optional[true] < optional[false]/2 || optional[false] < optional[true]/2 {
		t.Errorf("optional fields filled %d times, empty %d times", optional[true], optional[false])
	}
	if len(messages) < 900 {
		t.Errorf("only %d distinct messages in 1000", len(messages))
	}
}

// validField checks the formats the generator promises.
func validField(id, v string) bool {
	digitsAfter := func(prefix string) bool {
		rest, ok := strings.CutPrefix(v, prefix)
		return ok && rest != "" && strings.Trim(rest, "0123456789") == ""
	}
	switch id {
	case "customer_number":
		return digitsAfter("K-") && len(v) >= 6 && len(v) <= 8
	case "invoice_number":
		return digitsAfter("R-2026-")
	case "contract_number":
		return digitsAfter("V-")
	case "order_number":
		return digitsAfter("B-")
	case "phone":
		return digitsAfter("+49 30 ")
	case "payment_method":
		return v == "invoice" || v == "direct_debit" || v == "card"
	}
	return !strings.ContainsAny(v, "\n\t")
}

func TestGeneratorOptions(t *testing.T) {
	var types []loadtest.RequestType
	raw := `[{"id":"x","name":"X","fields":[
		{"id":"colour","label":"Colour","required":true,"category":"content","purpose":"handling","kind":"select","options":["red","green"]},
		{"id":"size","label":"Size","required":true,"category":"content","purpose":"handling","kind":"select","options":[{"value":"s"},{"value":"m"}]},
		{"id":"day","label":"Day","required":true,"category":"content","purpose":"handling","kind":"date"}]}]`
	if err := json.Unmarshal([]byte(raw), &types); err != nil {
		t.Fatal(err)
	}
	g := loadtest.NewGenerator(3, testNotice, types)
	for range 50 {
		f := g.Next().Fields
		if c := f["colour"]; c != "red" && c != "green" {
			t.Fatalf("colour %q", c)
		}
		if s := f["size"]; s != "s" && s != "m" {
			t.Fatalf("size %q", s)
		}
		if _, err := time.Parse(time.DateOnly, f["day"]); err != nil {
			t.Fatalf("day: %v", err)
		}
	}
}

func TestPercentile(t *testing.T) {
	ms := func(v ...float64) []time.Duration {
		d := make([]time.Duration, len(v))
		for i, x := range v {
			d[i] = time.Duration(x * float64(time.Millisecond))
		}
		return d
	}
	// 1 ms … 100 ms: the p-th percentile by nearest rank is p ms.
	var hundred []float64
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, float64(i))
	}
	for _, c := range []struct {
		d    []time.Duration
		p    float64
		want float64
	}{
		{ms(hundred...), 50, 50},
		{ms(hundred...), 95, 95},
		{ms(hundred...), 99, 99},
		{ms(hundred...), 100, 100},
		{ms(15, 20, 35, 40, 50), 30, 20}, // rank ceil(1.5) = 2
		{ms(15, 20, 35, 40, 50), 40, 20}, // rank 2
		{ms(15, 20, 35, 40, 50), 50, 35}, // rank ceil(2.5) = 3
		{ms(15, 20, 35, 40, 50), 100, 50},
		{ms(15, 20, 35, 40, 50), 0, 15}, // rank clamped to 1
		{ms(1.23456), 99, 1.23},
		{ms(2.005001), 50, 2.01},
		{nil, 50, 0},
	} {
		if got := loadtest.Percentile(c.d, c.p); got != c.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", c.d, c.p, got, c.want)
		}
	}
}

func TestEchoHandler(t *testing.T) {
	srv := httptest.NewServer(loadtest.EchoHandler())
	defer srv.Close()
	bodies, err := loadtest.Bodies(loadtest.NewGenerator(1, testNotice, testTypes), 3)
	if err != nil {
		t.Fatal(err)
	}
	post := loadtest.Poster(srv.Client(), []string{srv.URL + "/api/v1/requests"}, bodies)
	for i := range 5 {
		if err := post(t.Context(), i); err != nil {
			t.Fatal(err)
		}
	}
	bad := loadtest.Poster(srv.Client(), []string{srv.URL + "/api/v1/requests"}, [][]byte{[]byte("{")})
	if err := bad(t.Context(), 0); err == nil {
		t.Error("invalid JSON accepted")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestRunGet(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("Authorization") != "Bearer frist_test" || r.URL.Query().Get("q") != "rechnung" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"items":[],"next_cursor":""}`))
	}))
	defer srv.Close()
	o := loadtest.Options{Target: srv.URL, Requests: 100, Concurrency: 4, Baseline: true}
	res, err := loadtest.RunGet(t.Context(), o, "/api/v1/search?q=rechnung", "frist_test")
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 100 || res.Errors != 0 || calls.Load() != 100 || res.Ratio == nil || res.BaselineThroughput == nil {
		t.Errorf("result %+v after %d calls", res, calls.Load())
	}
	res, _ = loadtest.RunGet(t.Context(), o, "/api/v1/search?q=rechnung", "wrong")
	if res.Errors != 100 {
		t.Errorf("wrong token: %d errors, want 100", res.Errors)
	}
}

func TestRunSeveralTargets(t *testing.T) {
	a, _ := fakeFrist(t)
	b, _ := fakeFrist(t)
	res, err := loadtest.Run(t.Context(), loadtest.Options{Target: a.URL + "," + b.URL + "/", Requests: 100, Concurrency: 4, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 100 {
		t.Errorf("requests %d", res.Requests)
	}
	if _, err := loadtest.Run(t.Context(), loadtest.Options{Target: a.URL + ",ftp://x", Requests: 1, Concurrency: 1}); err == nil {
		t.Error("a bad second target was accepted")
	}
}
