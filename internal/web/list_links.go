package web

import (
	"net/url"
	"strings"
)

// listLinks returns the links of a filtered, paged list at path: the next
// page (when next is set), the first page (when the page shown is not it)
// and the filters that are set, for further links such as a CSV download.
func listLinks(path string, filters map[string]string, cursor, next string) (nextHref, firstHref string, set url.Values) {
	set = url.Values{}
	for k, v := range filters {
		if v = strings.TrimSpace(v); v != "" {
			set.Set(k, v)
		}
	}
	if next != "" {
		nq := url.Values{}
		for k, v := range set {
			nq[k] = v
		}
		nq.Set("cursor", next)
		nextHref = path + "?" + nq.Encode()
	}
	if cursor != "" {
		firstHref = path + "?" + set.Encode()
	}
	return nextHref, firstHref, set
}

// csvHref returns the address of the CSV export of a list with the
// filters set.
func csvHref(path string, set url.Values) string {
	q := url.Values{}
	for k, v := range set {
		q[k] = v
	}
	q.Set("format", "csv")
	return path + "?" + q.Encode()
}
