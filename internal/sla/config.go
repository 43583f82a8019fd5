package sla

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/de"
)

// Config is the plain description of a Calendar that a policy file can
// carry. Build a Calendar from it with New.
type Config struct {
	// TimeZone is an IANA zone name such as "Europe/Berlin" or
	// "Europe/Zurich". Required; "Local" is refused because it would make
	// deadlines depend on the server's settings.
	TimeZone string
	// Hours maps a weekday ("mon" … "sun") to its opening intervals
	// ("08:00-17:00", "24:00" allowed as an end). Missing weekdays are
	// closed. At least one weekday must have open time.
	Hours map[string][]string
	// Holidays names the region whose public holidays close the calendar
	// all day: "DE" (nationwide holidays only), "DE-BW" … "DE-TH" for the
	// 16 German states, "AT" for Austria, "CH-ZH" … "CH-JU" for the 26 Swiss
	// cantons, or "" for none.
	Holidays string
	// Closed lists company closing days as "YYYY-MM-DD".
	Closed []string
	// Special maps a date "YYYY-MM-DD" to its own opening intervals, which
	// replace the weekly hours and win over a public holiday on that date
	// (a half day on 24 December: ["08:00-12:00"]). An empty list closes
	// the date.
	Special map[string][]string
}

// weekdays maps the keys of Config.Hours to weekdays.
var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// regions maps the values of Config.Holidays to rickar/cal holiday lists.
// The lists are read, never modified.
var regions = map[string][]*cal.Holiday{
	"DE": de.Holidays, "DE-BW": de.HolidaysBW, "DE-BY": de.HolidaysBY, "DE-BE": de.HolidaysBE,
	"DE-BB": de.HolidaysBB, "DE-HB": de.HolidaysHB, "DE-HH": de.HolidaysHH, "DE-HE": de.HolidaysHE,
	"DE-MV": de.HolidaysMV, "DE-NI": de.HolidaysNI, "DE-NW": de.HolidaysNW, "DE-RP": de.HolidaysRP,
	"DE-SL": de.HolidaysSL, "DE-SN": de.HolidaysSN, "DE-ST": de.HolidaysST, "DE-SH": de.HolidaysSH,
	"DE-TH": de.HolidaysTH,

	"AT": at.Holidays,

	"CH-ZH": ch.HolidaysZH, "CH-BE": ch.HolidaysBE, "CH-LU": ch.HolidaysLU, "CH-UR": ch.HolidaysUR,
	"CH-SZ": ch.HolidaysSZ, "CH-OW": ch.HolidaysOW, "CH-NW": ch.HolidaysNW, "CH-GL": ch.HolidaysGL,
	"CH-ZG": ch.HolidaysZG, "CH-FR": ch.HolidaysFR, "CH-SO": ch.HolidaysSO, "CH-BS": ch.HolidaysBS,
	"CH-BL": ch.HolidaysBL, "CH-SH": ch.HolidaysSH, "CH-AR": ch.HolidaysAR, "CH-AI": ch.HolidaysAI,
	"CH-SG": ch.HolidaysSG, "CH-GR": ch.HolidaysGR, "CH-AG": ch.HolidaysAG, "CH-TG": ch.HolidaysTG,
	"CH-VD": ch.HolidaysVD, "CH-TI": ch.HolidaysTI, "CH-VS": ch.HolidaysVS, "CH-NE": ch.HolidaysNE,
	"CH-GE": ch.HolidaysGE, "CH-JU": ch.HolidaysJU,
	// No plain "CH": rickar/cal's ch.Holidays is the union of cantonal
	// holidays (Berchtoldstag, Josefstag, …), not a national list.
}

// Regions returns the accepted values of Config.Holidays other than "",
// sorted.
func Regions() []string {
	return slices.Sorted(maps.Keys(regions))
}

// New validates cfg and builds its Calendar. It returns an error wrapping
// ErrTimeZone, ErrWeekday, ErrInterval, ErrOverlap, ErrRegion, ErrDate or
// ErrNoHours, with the offending field and value in the message. Weekday
// keys and region names are matched case-insensitively.
func New(cfg Config) (*Calendar, error) {
	c := &Calendar{closed: map[date]bool{}, special: map[date][]interval{}}

	name := strings.TrimSpace(cfg.TimeZone)
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("time zone %q: %w", cfg.TimeZone, ErrTimeZone)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w (%v)", cfg.TimeZone, ErrTimeZone, err)
	}
	c.loc = loc

	open := false
	for key, specs := range cfg.Hours {
		wd, ok := weekdays[trimLower(key)]
		if !ok {
			return nil, fmt.Errorf("hours %q: %w", key, ErrWeekday)
		}
		if len(c.week[wd]) > 0 {
			return nil, fmt.Errorf("hours %q: %w: given twice", key, ErrWeekday)
		}
		ivs, err := parseIntervals(specs)
		if err != nil {
			return nil, fmt.Errorf("hours %q: %w", key, err)
		}
		c.week[wd] = ivs
		open = open || len(ivs) > 0
	}
	if !open {
		return nil, fmt.Errorf("hours: %w", ErrNoHours)
	}

	if cfg.Holidays != "" {
		hs, ok := regions[strings.ToUpper(strings.TrimSpace(cfg.Holidays))]
		if !ok {
			return nil, fmt.Errorf("holidays %q: %w", cfg.Holidays, ErrRegion)
		}
		c.holidays = hs
	}

	for _, s := range cfg.Closed {
		d, err := parseDate(s)
		if err != nil {
			return nil, fmt.Errorf("closed: %w", err)
		}
		c.closed[d] = true
	}
	for s, specs := range cfg.Special {
		d, err := parseDate(s)
		if err != nil {
			return nil, fmt.Errorf("special: %w", err)
		}
		if c.closed[d] {
			return nil, fmt.Errorf("special %q: %w: also listed as closed", s, ErrDate)
		}
		if _, dup := c.special[d]; dup {
			return nil, fmt.Errorf("special %q: %w: given twice", s, ErrDate)
		}
		ivs, err := parseIntervals(specs)
		if err != nil {
			return nil, fmt.Errorf("special %q: %w", s, err)
		}
		c.special[d] = ivs
	}
	return c, nil
}

// parseDate parses a "YYYY-MM-DD" calendar date.
func parseDate(s string) (date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return date{}, fmt.Errorf("%q: %w", s, ErrDate)
	}
	return date{t.Year(), t.Month(), t.Day()}, nil
}

// parseIntervals parses "HH:MM-HH:MM" intervals and returns them sorted and
// disjoint.
func parseIntervals(specs []string) ([]interval, error) {
	ivs := make([]interval, 0, len(specs))
	for _, spec := range specs {
		iv, err := parseInterval(spec)
		if err != nil {
			return nil, err
		}
		ivs = append(ivs, iv)
	}
	return sortedDisjoint(ivs)
}

// parseInterval parses one "HH:MM-HH:MM" interval that ends after it
// starts.
func parseInterval(spec string) (interval, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return interval{}, fmt.Errorf("%q: %w: want HH:MM-HH:MM", spec, ErrInterval)
	}
	start, err1 := parseClock(from)
	end, err2 := parseClock(to)
	if err1 != nil || err2 != nil {
		return interval{}, fmt.Errorf("%q: %w: want HH:MM-HH:MM within 00:00-24:00", spec, ErrInterval)
	}
	if end <= start {
		return interval{}, fmt.Errorf("%q: %w: ends before it starts", spec, ErrInterval)
	}
	return interval{Start: start, End: end}, nil
}

// parseClock parses "HH:MM" (00:00 to 24:00) into minutes since midnight.
func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) != 5 || s[2] != ':' {
		return 0, ErrInterval
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, ErrInterval
	}
	return h*60 + m, nil
}
