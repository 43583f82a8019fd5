package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"frist/internal/desk"
	"frist/internal/fault"
	"frist/internal/ticket"
)

// searchPage is the full-text search over the tickets an agent may see.
type searchPage struct {
	page
	Searched bool
	Results  []searchResult
	NextHref string
	Error    string
}

// searchResult is one ticket found with an excerpt of the matching
// message.
type searchResult struct {
	Number   string
	Href     string
	Subject  string
	Status   ticket.Status
	Internal bool
	Snippet  []segment
}

// segment is a piece of an excerpt; Mark pieces are the query's words.
// Excerpts are rendered as escaped segments, never as template.HTML.
type segment struct {
	Text string
	Mark bool
}

// searchShow searches (GET /search?q=&cursor=).
func (h *Handler) searchShow(w http.ResponseWriter, r *http.Request, a *desk.Agent) {
	q := r.URL.Query()
	pg := &searchPage{page: h.newPage(r, a, "search_title")}
	pg.Query = strings.TrimSpace(q.Get("q"))
	if pg.Query == "" {
		h.render(w, r, http.StatusOK, "search", pg)
		return
	}
	pg.Searched = true
	hits, next, err := h.desk.Search(r.Context(), a, pg.Query, q.Get("cursor"), 20)
	if fault.Code(err) == fault.Invalid {
		if fs := fault.FieldsOf(err); len(fs) > 0 {
			pg.Error = pg.T(fs[0].Message)
		} else {
			pg.Error = pg.T("invalid_cursor")
		}
		h.render(w, r, http.StatusUnprocessableEntity, "search", pg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	words := queryWords(pg.Query)
	for _, hit := range hits {
		pg.Results = append(pg.Results, searchResult{
			Number:   hit.Ticket.Number(),
			Href:     "/tickets/" + hit.Ticket.Number(),
			Subject:  hit.Ticket.Subject,
			Status:   hit.Ticket.Status,
			Internal: hit.Message.Visibility == ticket.Internal,
			Snippet:  snippet(hit.Message.Body, words, 160),
		})
	}
	if next != "" {
		pg.NextHref = "/search?" + url.Values{"q": {pg.Query}, "cursor": {next}}.Encode()
	}
	h.render(w, r, http.StatusOK, "search", pg)
}

// queryWords splits a query into words the way the search index does.
func queryWords(q string) []string {
	return strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// snippet returns about width characters of text around the first word of
// the query it contains, split into segments that mark the words.
func snippet(text string, words []string, width int) []segment {
	rs := []rune(strings.Join(strings.Fields(text), " "))
	lower := make([]rune, len(rs))
	for i, r := range rs {
		lower[i] = unicode.ToLower(r)
	}
	var lw [][]rune
	for _, w := range words {
		l := []rune(strings.ToLower(w))
		if len(l) > 0 {
			lw = append(lw, l)
		}
	}
	// matchAt returns the length of a query word at i, or 0.
	matchAt := func(i int) int {
		for _, w := range lw {
			if i+len(w) <= len(lower) && string(lower[i:i+len(w)]) == string(w) {
				return len(w)
			}
		}
		return 0
	}
	first := -1
	for i := range lower {
		if matchAt(i) > 0 {
			first = i
			break
		}
	}
	start := 0
	if first > width/3 {
		start = first - width/3
	}
	end := min(start+width, len(rs))
	if end-start < width {
		start = max(0, end-width)
	}
	var out []segment
	if start > 0 {
		out = append(out, segment{Text: "…"})
	}
	plain := start
	for i := start; i < end; {
		if n := matchAt(i); n > 0 {
			if plain < i {
				out = append(out, segment{Text: string(rs[plain:i])})
			}
			stop := min(i+n, end)
			out = append(out, segment{Text: string(rs[i:stop]), Mark: true})
			i, plain = stop, stop
			continue
		}
		i++
	}
	if plain < end {
		out = append(out, segment{Text: string(rs[plain:end])})
	}
	if end < len(rs) {
		out = append(out, segment{Text: "…"})
	}
	return out
}
