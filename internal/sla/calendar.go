// Package sla owns the deadline arithmetic of Frist's service-level
// agreements: when the SLA clock runs (a Calendar of opening hours, public
// holidays, closing days and half days in one IANA time zone) and what
// "received at T, due after D of business time" means in that calendar.
//
// Opening hours are wall-clock intervals on local dates: 08:00–17:00 on a
// given date runs from 08:00 to 17:00 as the clocks on the wall show them
// that day, and the open time it contributes is the real elapsed time
// between those two instants. Durations are always counted in real elapsed
// open time, so a 24/7 calendar and time.Time.Add agree, also across DST
// changes.
//
// The package is pure: no I/O, no clock, no global state. Callers pass the
// times; a Calendar is immutable after construction and safe for concurrent
// use.
package sla

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
)

// MaxGap bounds the search for open time. Add and NextOpen give up when
// they find no open time within MaxGap days (counted in local calendar
// days) of consecutive searching and return the zero time.Time. New rejects
// calendars whose weekly hours are all empty, so only explicit closing days
// covering more than three years in a row can trigger this.
const MaxGap = 3 * 366

// Errors returned by New, wrapped with the offending field and value; test
// for them with errors.Is.
var (
	// ErrTimeZone means the time zone is empty, "Local" or not an IANA name
	// that the system's time zone database knows.
	ErrTimeZone = errors.New("unknown time zone")
	// ErrWeekday means a key of Config.Hours is not mon, tue, wed, thu,
	// fri, sat or sun.
	ErrWeekday = errors.New("unknown weekday")
	// ErrInterval means an opening interval is not of the form
	// "HH:MM-HH:MM" within 00:00–24:00, or does not end after it starts.
	ErrInterval = errors.New("invalid opening interval")
	// ErrOverlap means two opening intervals of the same day overlap.
	ErrOverlap = errors.New("overlapping opening intervals")
	// ErrRegion means Config.Holidays names no known holiday region.
	ErrRegion = errors.New("unknown holiday region")
	// ErrDate means a date is not a valid YYYY-MM-DD calendar date, or a
	// date is listed both as closed and with special hours.
	ErrDate = errors.New("invalid date")
	// ErrNoHours means the weekly opening hours contain no open time.
	ErrNoHours = errors.New("no weekly opening hours")
)

// interval is a span of opening time on one local date, in minutes since
// midnight, from Start inclusive to End exclusive: 0 <= Start < End <=
// 24*60. 08:00–17:00 is interval{Start: 480, End: 1020}.
type interval struct {
	Start int // minutes since local midnight, inclusive
	End   int // minutes since local midnight, exclusive; 1440 is midnight of the next day
}

// Calendar says when an SLA clock runs. The zero value is not usable; build
// one with New or TwentyFourSeven.
type Calendar struct {
	loc      *time.Location      // the zone the wall-clock hours are read in
	week     [7][]interval       // weekly hours, indexed by time.Weekday, sorted and disjoint
	holidays []*cal.Holiday      // public holidays of the region; closed all day
	closed   map[date]bool       // company closing days
	special  map[date][]interval // dates with their own hours; beat holidays and weekly hours

	holidayYears sync.Map // year → map[date]bool of its public holidays, filled on first use
}

// TwentyFourSeven returns a calendar that is always open, in loc. Its Add is
// time.Time.Add expressed in loc. A nil loc means UTC.
func TwentyFourSeven(loc *time.Location) *Calendar {
	if loc == nil {
		loc = time.UTC
	}
	c := &Calendar{loc: loc}
	for i := range c.week {
		c.week[i] = []interval{{Start: 0, End: minutesPerDay}}
	}
	return c
}

// Location returns the time zone in which the calendar's hours are read.
func (c *Calendar) Location() *time.Location { return c.loc }

// IsOpen reports whether the SLA clock runs at t. Opening intervals include
// their start and exclude their end: at exactly 17:00 a calendar open
// 08:00–17:00 is closed.
func (c *Calendar) IsOpen(t time.Time) bool {
	day := localDate(t, c.loc)
	for s := range c.spans(day.add(-1), day.add(1), -1) {
		if !s.start.After(t) && t.Before(s.end) {
			return true
		}
	}
	return false
}

// NextOpen returns t if the calendar is open at t, else the next moment it
// opens, in the calendar's location. It returns the zero time.Time when
// there is no open time within MaxGap days.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	return c.Add(t, 0)
}

// Add returns the moment, in the calendar's location, at which d of open
// time has elapsed after start. Counting begins at start if the calendar is
// open then, else at the next opening. A deadline that falls exactly at a
// closing time is that closing time (due Friday 17:00, not Monday 08:00).
// d == 0 returns NextOpen(start); a negative d counts as 0. Add returns the
// zero time.Time when it meets MaxGap consecutive days without open time.
//
// For d >= 0 and a non-zero result r, Between(start, r) == d.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	if d < 0 {
		d = 0
	}
	cur := start
	day := localDate(start, c.loc).add(-1)
	for s := range c.spans(day, date{}, MaxGap) {
		if !s.end.After(cur) {
			continue
		}
		from := s.start
		if cur.After(from) {
			from = cur
		}
		avail := s.end.Sub(from)
		if d <= avail {
			// Ends inside or exactly at the end of this span; d == 0 is
			// the first open instant, which from is.
			return from.Add(d).In(c.loc)
		}
		d -= avail
		cur = s.end
	}
	return time.Time{}
}

// Between returns the open time from a to b. It is antisymmetric like
// b.Sub(a): Between(b, a) == -Between(a, b), and Between(a, a) == 0. Its
// cost grows with the number of days between a and b.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -c.Between(b, a)
	}
	var sum time.Duration
	for s := range c.spans(localDate(a, c.loc).add(-1), localDate(b, c.loc).add(1), -1) {
		if !s.start.Before(b) {
			break
		}
		from, to := s.start, s.end
		if from.Before(a) {
			from = a
		}
		if to.After(b) {
			to = b
		}
		if to.After(from) {
			sum += to.Sub(from)
		}
	}
	return sum
}

// span is an absolute stretch of open time.
type span struct{ start, end time.Time }

// spans yields the open spans of the local dates from first on, in order and
// disjoint. It stops after the date last unless last is the zero date, and
// after maxGap consecutive days without open time unless maxGap < 0. Each local interval becomes the real instants its
// wall-clock ends denote that day; where a DST change makes those instants
// collide with the previous span, the span is clipped so that spans never
// overlap and open time is never counted twice.
func (c *Calendar) spans(first, last date, maxGap int) iter.Seq[span] {
	return func(yield func(span) bool) {
		var prev time.Time
		gap := 0
		for day := first; last == (date{}) || !last.before(day); day = day.add(1) {
			opened := false
			for _, iv := range c.hours(day) {
				s, e := day.at(iv.Start, c.loc), day.at(iv.End, c.loc)
				if s.Before(prev) {
					s = prev
				}
				if !e.After(s) {
					continue
				}
				opened = true
				prev = e
				if !yield(span{s, e}) {
					return
				}
			}
			if opened {
				gap = 0
				continue
			}
			gap++
			if maxGap >= 0 && gap > maxGap {
				return
			}
		}
	}
}

// hours returns the opening intervals of a local date: special hours if the
// date has them, none on closing days and public holidays, else the weekly
// hours of its weekday.
func (c *Calendar) hours(d date) []interval {
	if iv, ok := c.special[d]; ok {
		return iv
	}
	if c.closed[d] || c.isHoliday(d) {
		return nil
	}
	return c.week[d.weekday()]
}

// isHoliday reports whether d is a public holiday of the calendar's region.
// The holidays of a year are computed once and kept: deadline arithmetic
// asks about the same few days for every ticket.
func (c *Calendar) isHoliday(d date) bool {
	if len(c.holidays) == 0 {
		return false
	}
	if days, ok := c.holidayYears.Load(d.y); ok {
		return days.(map[date]bool)[d]
	}
	days := map[date]bool{}
	for _, h := range c.holidays {
		// Neighbouring years too, in case a rule moves an observance
		// across New Year; none of the DACH rules does today.
		for y := d.y - 1; y <= d.y+1; y++ {
			_, obs := h.Calc(y)
			if !obs.IsZero() && obs.Year() == d.y {
				days[date{obs.Year(), obs.Month(), obs.Day()}] = true
			}
		}
	}
	c.holidayYears.Store(d.y, days)
	return days[d]
}

const minutesPerDay = 24 * 60

// date is a local calendar date without a zone.
type date struct {
	y int
	m time.Month
	d int
}

// localDate returns the date of t on the wall clocks of loc.
func localDate(t time.Time, loc *time.Location) date {
	y, m, d := t.In(loc).Date()
	return date{y, m, d}
}

// add returns the date n days after d.
func (d date) add(n int) date {
	y, m, dd := time.Date(d.y, d.m, d.d+n, 12, 0, 0, 0, time.UTC).Date()
	return date{y, m, dd}
}

// before reports whether d is an earlier date than e.
func (d date) before(e date) bool {
	if d.y != e.y {
		return d.y < e.y
	}
	if d.m != e.m {
		return d.m < e.m
	}
	return d.d < e.d
}

func (d date) weekday() time.Weekday {
	return time.Date(d.y, d.m, d.d, 12, 0, 0, 0, time.UTC).Weekday()
}

// at returns the instant at min minutes after midnight on d's wall clocks in
// loc. A wall time skipped by a DST change maps to the instant the change
// happens at, as time.Date does (02:30 on the spring-forward day in Berlin
// is 03:30 CEST); a repeated wall time maps to one of its two instants.
func (d date) at(min int, loc *time.Location) time.Time {
	return time.Date(d.y, d.m, d.d, 0, min, 0, 0, loc)
}

func (d date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.y, int(d.m), d.d)
}

// String returns the interval as "HH:MM-HH:MM".
func (iv interval) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", iv.Start/60, iv.Start%60, iv.End/60, iv.End%60)
}

// sortedDisjoint sorts ivs and reports ErrOverlap if two of them overlap.
// Touching intervals (08:00-12:00, 12:00-13:00) are allowed.
func sortedDisjoint(ivs []interval) ([]interval, error) {
	ivs = slices.Clone(ivs)
	slices.SortFunc(ivs, func(a, b interval) int { return a.Start - b.Start })
	for i := 1; i < len(ivs); i++ {
		if ivs[i].Start < ivs[i-1].End {
			return nil, fmt.Errorf("%s and %s: %w", ivs[i-1], ivs[i], ErrOverlap)
		}
	}
	return ivs, nil
}

// trimLower is the lenient form of config keys.
func trimLower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
