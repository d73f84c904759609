package load

import (
	"regexp"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// zoneOffsetRE matches what people write for a fixed offset instead of a
// place: +01:00, UTC+1, GMT-5.
var zoneOffsetRE = regexp.MustCompile(`^(?i:utc|gmt)?\s*[+-−]\s*\d{1,2}(:?\d{2})?$`)

// readZone checks site.yaml's timezone: an IANA name such as
// America/Chicago. Empty is UTC. A zone that depends on the machine
// (Local) is refused, so builds stay reproducible.
func readZone(pos diag.Pos, name string, errs *diag.List) *time.Location {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	if strings.EqualFold(name, "local") {
		errs.Errorf(pos, "timezone %q depends on the machine that builds the site", name).
			WithHint("name the partnership's zone, such as Europe/Paris or America/Chicago, so every build publishes at the same moment")
		return nil
	}
	if loc, err := time.LoadLocation(name); err == nil && !strings.ContainsAny(name, " \\") {
		return loc
	}
	e := errs.Errorf(pos, "timezone %q is not a time zone drumbeat knows", truncate(name, 60))
	switch {
	case zoneOffsetRE.MatchString(name):
		e.WithHint("name a place rather than an offset, such as Europe/Paris or America/Chicago: a place follows summer time, an offset does not")
	default:
		if s := suggestZone(name); s != "" {
			e.WithHint("did you mean %q? Zones are IANA names, Area/City, as in the tz database", s)
		} else {
			e.WithHint("write an IANA zone name, Area/City, such as America/Chicago, Europe/Berlin or Africa/Nairobi (see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)")
		}
	}
	return nil
}

// suggestZone guesses the zone name meant: the right spelling with other
// capitals or spaces, a common abbreviation, or a close well-known name.
func suggestZone(name string) string {
	fixed := strings.ReplaceAll(strings.TrimSpace(name), " ", "_")
	if abbr, ok := zoneAbbreviations[strings.ToUpper(fixed)]; ok {
		return abbr
	}
	for _, z := range commonZones {
		if strings.EqualFold(z, fixed) {
			return z
		}
	}
	// Title-case each part: america/new_york → America/New_York.
	parts := strings.Split(fixed, "/")
	for i, p := range parts {
		words := strings.Split(strings.ToLower(p), "_")
		for j, w := range words {
			if w != "" {
				words[j] = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		parts[i] = strings.Join(words, "_")
	}
	if t := strings.Join(parts, "/"); t != name && strings.Contains(t, "/") {
		if _, err := time.LoadLocation(t); err == nil {
			return t
		}
	}
	if s := diag.Suggest(fixed, commonZones); s != "" {
		return s
	}
	// The city alone, or a misspelt city: Chicago, Chigaco.
	city := strings.ToLower(fixed[strings.LastIndexByte(fixed, '/')+1:])
	var cities []string
	byCity := map[string]string{}
	for _, z := range commonZones {
		c := strings.ToLower(z[strings.LastIndexByte(z, '/')+1:])
		cities = append(cities, c)
		byCity[c] = z
	}
	if s := diag.Suggest(city, cities); s != "" {
		return byCity[s]
	}
	return byCity[city]
}

// zoneAbbreviations maps abbreviations people write to a zone that keeps
// them, with summer time.
var zoneAbbreviations = map[string]string{
	"PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PACIFIC": "America/Los_Angeles",
	"MST": "America/Denver", "MDT": "America/Denver", "MOUNTAIN": "America/Denver",
	"CST": "America/Chicago", "CDT": "America/Chicago", "CENTRAL": "America/Chicago",
	"EST": "America/New_York", "EDT": "America/New_York", "EASTERN": "America/New_York",
	"BST": "Europe/London", "CEST": "Europe/Paris", "IST": "Asia/Kolkata",
	"EAT": "Africa/Nairobi", "WAT": "Africa/Lagos", "SAST": "Africa/Johannesburg",
	"AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "JST": "Asia/Tokyo", "NZST": "Pacific/Auckland",
}

// commonZones are well-known IANA names, for suggestions; any name in the
// tz database is accepted.
var commonZones = []string{
	"UTC",
	"Africa/Abidjan", "Africa/Accra", "Africa/Addis_Ababa", "Africa/Algiers", "Africa/Cairo", "Africa/Casablanca",
	"Africa/Dakar", "Africa/Dar_es_Salaam", "Africa/Johannesburg", "Africa/Kampala", "Africa/Khartoum", "Africa/Kinshasa",
	"Africa/Lagos", "Africa/Lusaka", "Africa/Maputo", "Africa/Nairobi", "Africa/Tunis", "Africa/Windhoek",
	"America/Anchorage", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Caracas", "America/Chicago",
	"America/Denver", "America/Edmonton", "America/Guatemala", "America/Halifax", "America/Havana", "America/Lima",
	"America/Los_Angeles", "America/Mexico_City", "America/Montevideo", "America/New_York", "America/Panama",
	"America/Phoenix", "America/Port-au-Prince", "America/Puerto_Rico", "America/Regina", "America/Santiago",
	"America/Santo_Domingo", "America/Sao_Paulo", "America/St_Johns", "America/Toronto", "America/Vancouver",
	"America/Winnipeg",
	"Asia/Almaty", "Asia/Baghdad", "Asia/Bangkok", "Asia/Beirut", "Asia/Dhaka", "Asia/Dubai", "Asia/Ho_Chi_Minh",
	"Asia/Hong_Kong", "Asia/Jakarta", "Asia/Jerusalem", "Asia/Kabul", "Asia/Karachi", "Asia/Kathmandu", "Asia/Kolkata",
	"Asia/Kuala_Lumpur", "Asia/Manila", "Asia/Riyadh", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Taipei",
	"Asia/Tashkent", "Asia/Tehran", "Asia/Tokyo", "Asia/Yangon",
	"Atlantic/Azores", "Atlantic/Reykjavik",
	"Australia/Adelaide", "Australia/Brisbane", "Australia/Darwin", "Australia/Melbourne", "Australia/Perth",
	"Australia/Sydney",
	"Europe/Amsterdam", "Europe/Athens", "Europe/Belgrade", "Europe/Berlin", "Europe/Brussels", "Europe/Bucharest",
	"Europe/Budapest", "Europe/Copenhagen", "Europe/Dublin", "Europe/Helsinki", "Europe/Istanbul", "Europe/Kyiv",
	"Europe/Lisbon", "Europe/London", "Europe/Madrid", "Europe/Moscow", "Europe/Oslo", "Europe/Paris", "Europe/Prague",
	"Europe/Rome", "Europe/Stockholm", "Europe/Vienna", "Europe/Warsaw", "Europe/Zurich",
	"Pacific/Auckland", "Pacific/Fiji", "Pacific/Guam", "Pacific/Honolulu", "Pacific/Port_Moresby",
}

// whenHint says how to write a date or a publication time.
const whenHint = "write dates as YYYY-MM-DD, such as 2026-03-14 (the start of that day in the site's time zone), " +
	"or with a time: 2026-03-14T09:30 (in the site's time zone) or 2026-03-14T09:30:00-05:00"

// parseWhen reads a date, or a date and time with or without a zone. The
// date and time may be separated by T or a space, the seconds may be left
// out, and the zone is an offset (Z, -08:00, -0800), or a tz name after a
// space: 2026-11-28 07:30 America/Los_Angeles. A date alone comes back in
// model.DateOnly and a time without a zone in model.LocalTime.
func parseWhen(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, model.DateOnly), true
	}
	if len(s) < len("2006-01-02T15:04") || len(s) > 80 {
		return time.Time{}, false
	}
	// One separator between date and time: T.
	if s[10] == ' ' || s[10] == 't' {
		s = s[:10] + "T" + s[11:]
	}
	s = strings.Replace(s, "z", "Z", 1)
	for _, layout := range []string{
		"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04Z07:00",
		"2006-01-02T15:04:05 Z07:00", "2006-01-02T15:04 Z07:00",
		"2006-01-02T15:04:05-0700", "2006-01-02T15:04-0700",
		"2006-01-02T15:04:05 -0700", "2006-01-02T15:04 -0700",
		"2006-01-02T15:04:05.999999999Z07:00",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), model.LocalTime), true
		}
	}
	// A zone name after the time.
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		name := s[i+1:]
		if name == "UTC" || strings.Contains(name, "/") {
			if loc, err := time.LoadLocation(name); err == nil {
				for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
					// The clock there, as for the site's zone: a time the
					// clocks skip is the moment they jump (ParseInLocation
					// would give an hour early).
					if w, err := time.Parse(layout, s[:i]); err == nil {
						return model.ClockIn(w, loc), true
					}
				}
			}
		}
	}
	return time.Time{}, false
}

// ParseTime reads a date or a date and time as front matter may give them
// (see parseWhen), for --now and --on.
func ParseTime(s string) (time.Time, bool) { return parseWhen(s) }
