package generator

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// timesSite is a small site in the time zone given (none: UTC) with one
// lesson (exempt from approval) whose front matter lines are given, in
// YAML or, when toml is set, TOML.
func timesSite(t *testing.T, zone string, toml bool, front string) string {
	t.Helper()
	cfg := "title: Times test\nbase_url: https://t.example/\n"
	if zone != "" {
		cfg += "timezone: " + zone + "\n"
	}
	var st string
	if toml {
		st = "+++\ntitle = \"The grant\"\nkind = \"lesson\"\n" + front + "+++\nThe grant was awarded.\n"
	} else {
		st = "---\ntitle: The grant\nkind: lesson\n" + front + "---\nThe grant was awarded.\n"
	}
	return writeSite(t, map[string]string{
		"site.yaml":                    cfg,
		"data/governance.yaml":         "roles:\n  - {id: member, name: Member}\ncommunication:\n  approval_required: true\n  exempt_kinds: [lesson]\n",
		"content/stories/the-grant.md": st,
	})
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestPublicationTimes checks that a story's date and embargo are honoured
// to the minute, in every way front matter can write them, with a date
// alone meaning the start of that day in the site's time zone. On the old
// code every time was cut to its day in UTC and now to the end of its day.
func TestPublicationTimes(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		toml  bool
		front string
		now   time.Time
		held  bool
	}{
		// The case: 07:30 in the Americas is 15:30 UTC.
		{"offset, yaml, a minute before", "", false, "date: 2026-11-01\nembargo_until: 2026-11-28T07:30:00-08:00\n", utc("2026-11-28T15:29:00Z"), true},
		{"offset, yaml, on the minute", "", false, "date: 2026-11-01\nembargo_until: 2026-11-28T07:30:00-08:00\n", utc("2026-11-28T15:30:00Z"), false},
		{"offset, yaml, the evening before", "", false, "date: 2026-11-01\nembargo_until: 2026-11-28T07:30:00-08:00\n", utc("2026-11-28T00:00:00Z"), true},
		{"offset, yaml string", "", false, "date: 2026-11-01\nembargo_until: \"2026-11-28T07:30:00-08:00\"\n", utc("2026-11-28T15:29:00Z"), true},
		{"offset, yaml string, on the minute", "", false, "date: 2026-11-01\nembargo_until: \"2026-11-28 07:30 -08:00\"\n", utc("2026-11-28T15:30:00Z"), false},
		{"offset, toml", "", true, "date = 2026-11-01\nembargo_until = 2026-11-28T07:30:00-08:00\n", utc("2026-11-28T15:29:00Z"), true},
		{"offset, toml, on the minute", "", true, "date = 2026-11-01\nembargo_until = 2026-11-28T07:30:00-08:00\n", utc("2026-11-28T15:30:00Z"), false},
		{"zone name after the time", "", false, "date: 2026-11-01\nembargo_until: 2026-11-28 07:30 America/Los_Angeles\n", utc("2026-11-28T15:29:00Z"), true},
		{"zone name after the time, on the minute", "", false, "date: 2026-11-01\nembargo_until: 2026-11-28 07:30 America/Los_Angeles\n", utc("2026-11-28T15:30:00Z"), false},
		// Found in review: a time the clocks skip, written with the zone's
		// name, lifted an hour early (02:30 on 14 March 2027 does not exist
		// in Los Angeles; the clocks jump from 02:00 to 03:00, 10:00 UTC).
		{"zone name, a time the clocks skip", "", false, "date: 2026-11-01\nembargo_until: 2027-03-14 02:30 America/Los_Angeles\n", utc("2027-03-14T09:45:00Z"), true},
		{"zone name, a time the clocks skip, when they jump", "", false, "date: 2026-11-01\nembargo_until: 2027-03-14 02:30 America/Los_Angeles\n", utc("2027-03-14T10:00:00Z"), false},
		// A time without a zone is in the site's zone.
		{"local time, yaml", "America/Los_Angeles", false, "date: 2026-11-01\nembargo_until: 2026-11-28T07:30\n", utc("2026-11-28T15:29:00Z"), true},
		{"local time, yaml, on the minute", "America/Los_Angeles", false, "date: 2026-11-01\nembargo_until: 2026-11-28T07:30\n", utc("2026-11-28T15:30:00Z"), false},
		{"local time, yaml timestamp", "America/Los_Angeles", false, "date: 2026-11-01\nembargo_until: 2026-11-28T07:30:00\n", utc("2026-11-28T15:29:00Z"), true},
		{"local time, toml", "America/Los_Angeles", true, "date = 2026-11-01\nembargo_until = 2026-11-28T07:30:00\n", utc("2026-11-28T15:29:00Z"), true},
		{"local time, toml, on the minute", "America/Los_Angeles", true, "date = 2026-11-01\nembargo_until = 2026-11-28T07:30:00\n", utc("2026-11-28T15:30:00Z"), false},
		{"local time, UTC site", "", false, "date: 2026-11-01\nembargo_until: 2026-11-28T07:30\n", utc("2026-11-28T07:30:00Z"), false},
		// A date alone starts the day in the site's zone.
		{"date alone, west of UTC, before", "America/Chicago", false, "date: 2026-11-01\nembargo_until: 2026-11-28\n", utc("2026-11-28T05:59:00Z"), true},
		{"date alone, west of UTC, at", "America/Chicago", false, "date: 2026-11-01\nembargo_until: 2026-11-28\n", utc("2026-11-28T06:00:00Z"), false},
		{"date alone, toml, west of UTC", "America/Chicago", true, "date = 2026-11-01\nembargo_until = 2026-11-28\n", utc("2026-11-28T05:59:00Z"), true},
		{"date alone, east of UTC, at", "Asia/Tokyo", false, "date: 2026-11-01\nembargo_until: 2026-11-28\n", utc("2026-11-27T15:00:00Z"), false},
		{"date alone, east of UTC, before", "Asia/Tokyo", false, "date: 2026-11-01\nembargo_until: 2026-11-28\n", utc("2026-11-27T14:59:00Z"), true},
		{"date alone, UTC", "", false, "date: 2026-11-01\nembargo_until: 2026-11-28\n", utc("2026-11-27T23:59:00Z"), true},
		// --now as a date alone is the end of that day in the site's zone.
		{"now a day, date alone, west", "America/Chicago", false, "date: 2026-11-01\nembargo_until: 2026-11-28\n", Day(2026, 11, 27), true},
		{"now a day, date alone, west, that day", "America/Chicago", false, "date: 2026-11-01\nembargo_until: 2026-11-28\n", Day(2026, 11, 28), false},
		{"now a day, date alone, east", "Asia/Tokyo", false, "date: 2026-11-01\nembargo_until: 2026-11-28\n", Day(2026, 11, 27), true},
		{"now a day, a time that day", "", false, "date: 2026-11-01\nembargo_until: 2026-11-28T07:30:00-08:00\n", Day(2026, 11, 28), false},
		{"now a local time, before", "America/Los_Angeles", false, "date: 2026-11-01\nembargo_until: 2026-11-28T07:30:00-08:00\n", time.Date(2026, 11, 28, 7, 29, 0, 0, model.LocalTime), true},
		{"now a local time, at", "America/Los_Angeles", false, "date: 2026-11-01\nembargo_until: 2026-11-28T07:30:00-08:00\n", time.Date(2026, 11, 28, 7, 30, 0, 0, model.LocalTime), false},
		// Summer time: the clock in the site's zone decides.
		{"DST spring, before", "America/Chicago", false, "date: 2026-03-01\nembargo_until: 2026-03-08T03:30\n", utc("2026-03-08T08:29:00Z"), true},
		{"DST spring, at (CDT, UTC-5)", "America/Chicago", false, "date: 2026-03-01\nembargo_until: 2026-03-08T03:30\n", utc("2026-03-08T08:30:00Z"), false},
		// A time the clocks skip lifts when they jump past it, not an hour early.
		{"DST gap, before the jump", "America/Chicago", false, "date: 2026-03-01\nembargo_until: 2026-03-08T02:30\n", utc("2026-03-08T07:59:00Z"), true},
		{"DST gap, at the jump", "America/Chicago", false, "date: 2026-03-01\nembargo_until: 2026-03-08T02:30\n", utc("2026-03-08T08:00:00Z"), false},
		{"DST gap at midnight, date alone, before", "America/Havana", false, "date: 2026-03-01\nembargo_until: 2026-03-08\n", utc("2026-03-08T04:59:00Z"), true},
		{"DST gap at midnight, date alone, at", "America/Havana", false, "date: 2026-03-01\nembargo_until: 2026-03-08\n", utc("2026-03-08T05:00:00Z"), false},
		// In the repeated hour, the first 01:30 (CDT).
		{"DST repeated hour, before", "America/Chicago", false, "date: 2026-10-01\nembargo_until: 2026-11-01T01:30\n", utc("2026-11-01T06:29:00Z"), true},
		{"DST repeated hour, at the first", "America/Chicago", false, "date: 2026-10-01\nembargo_until: 2026-11-01T01:30\n", utc("2026-11-01T06:30:00Z"), false},
		{"DST autumn, date alone, before (CDT)", "America/Chicago", false, "date: 2026-10-01\nembargo_until: 2026-11-01\n", utc("2026-11-01T04:59:00Z"), true},
		{"DST autumn, date alone, at (CDT)", "America/Chicago", false, "date: 2026-10-01\nembargo_until: 2026-11-01\n", utc("2026-11-01T05:00:00Z"), false},
		{"DST autumn, after the change (CST, UTC-6)", "America/Chicago", false, "date: 2026-10-01\nembargo_until: 2026-11-02T00:00\n", utc("2026-11-02T05:59:00Z"), true},
		// The date itself, with a time, holds the story the same way.
		{"date with a time, before", "Europe/Berlin", false, "date: 2026-11-28T09:00:00+01:00\n", utc("2026-11-28T07:59:00Z"), true},
		{"date with a time, at", "Europe/Berlin", false, "date: 2026-11-28T09:00:00+01:00\n", utc("2026-11-28T08:00:00Z"), false},
		{"date alone, east, at", "Europe/Berlin", false, "date: 2026-11-28\n", utc("2026-11-27T23:00:00Z"), false},
		{"date alone, east, before", "Europe/Berlin", true, "date = 2026-11-28\n", utc("2026-11-27T22:59:00Z"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := timesSite(t, tc.zone, tc.toml, tc.front)
			site, errs := Load(Options{Source: src, Now: tc.now})
			if errs.HasErrors() {
				t.Fatal(errs)
			}
			held := len(site.Held) == 1
			if held != tc.held {
				var why []string
				for _, h := range site.Held {
					why = h.Held
				}
				t.Errorf("held = %v, want %v (now %s, reasons %q)", held, tc.held, site.Now.UTC().Format(time.RFC3339), why)
			}
		})
	}
}

// TestHoldMessagesShowTheTime checks what check says of a held story: the
// day alone for a date alone, the minute and zone for a time.
func TestHoldMessagesShowTheTime(t *testing.T) {
	tests := []struct {
		zone, front string
		now         time.Time
		want, next  string
	}{
		{"America/Los_Angeles", "date: 2026-11-01\nembargo_until: 2026-11-28T07:30:00-08:00\n", utc("2026-11-28T15:29:00Z"),
			"content/stories/the-grant.md:1: warning: held back: it is embargoed until 28 November 2026, 07:30 America/Los_Angeles (15:30 UTC)",
			"2026-11-28 07:30 America/Los_Angeles (15:30 UTC)"},
		{"", "date: 2026-11-01\nembargo_until: 2026-11-28T07:30:00-08:00\n", Day(2026, 11, 27),
			"content/stories/the-grant.md:1: warning: held back: it is embargoed until 28 November 2026, 15:30 UTC",
			"2026-11-28 15:30 UTC"},
		{"America/Chicago", "date: 2026-11-01\nembargo_until: 2026-12-15\n", Day(2026, 11, 27),
			"content/stories/the-grant.md:1: warning: held back: it is embargoed until 15 December 2026",
			"2026-12-15 00:00 America/Chicago (06:00 UTC)"},
		{"Asia/Tokyo", "date: 2026-12-15\n", Day(2026, 11, 27),
			"content/stories/the-grant.md:1: warning: held back: it is dated 15 December 2026, after today",
			"2026-12-15 00:00 Asia/Tokyo (2026-12-14 15:00 UTC)"},
		{"Europe/Berlin", "date: 2026-12-15T09:30\n", Day(2026, 11, 27),
			"content/stories/the-grant.md:1: warning: held back: it is dated 15 December 2026, 09:30 Europe/Berlin (08:30 UTC), after now",
			"2026-12-15 09:30 Europe/Berlin (08:30 UTC)"},
	}
	for _, tc := range tests {
		src := timesSite(t, tc.zone, false, tc.front)
		res, list := Check(context.Background(), Options{Source: src, Now: tc.now})
		if !hasLine(list, tc.want) {
			t.Errorf("%s %q: check says\n%s\nwant a line\n%s", tc.zone, tc.front, list, tc.want)
		}
		if res.Site == nil {
			t.Fatal("no site")
		}
		if got := res.Site.Moment(res.Site.NextLift()); got != tc.next {
			t.Errorf("%s %q: next lift %q, want %q", tc.zone, tc.front, got, tc.next)
		}
	}
}

func hasLine(list diag.List, want string) bool {
	for _, e := range list {
		if strings.HasPrefix(e.Error(), want) {
			return true
		}
	}
	return false
}

// TestTimezoneSetting checks site.yaml's timezone: a wrong name is an
// error at its line with a suggestion.
func TestTimezoneSetting(t *testing.T) {
	tests := []struct{ zone, want string }{
		{"America/Chigaco", `site.yaml:3:1: timezone "America/Chigaco" is not a time zone drumbeat knows (did you mean "America/Chicago"?`},
		{"america/new_york", `did you mean "America/New_York"?`},
		{"America/New York", `did you mean "America/New_York"?`},
		{"PST", `did you mean "America/Los_Angeles"?`},
		{"Nairobi", `did you mean "Africa/Nairobi"?`},
		{"UTC+1", "name a place rather than an offset"},
		{"Local", "depends on the machine"},
		{"Mars/Olympus_Mons", "write an IANA zone name"},
	}
	for _, tc := range tests {
		src := timesSite(t, tc.zone, false, "date: 2026-11-01\n")
		_, list := Check(context.Background(), Options{Source: src, Now: Day(2026, 11, 27)})
		if !list.HasErrors() || !strings.Contains(list.Error(), tc.want) {
			t.Errorf("timezone %q: check says\n%s\nwant %q", tc.zone, list, tc.want)
		}
	}
	for _, zone := range []string{"UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5"} {
		src := timesSite(t, zone, false, "date: 2026-11-01\n")
		if _, list := Check(context.Background(), Options{Source: src, Now: Day(2026, 11, 27)}); list.HasErrors() {
			t.Errorf("timezone %q: %s", zone, list)
		}
	}
}

// TestBadTimes checks that a time that cannot be read is an error at its
// line, in both front matter formats.
func TestBadTimes(t *testing.T) {
	tests := []struct {
		toml        bool
		front, want string
	}{
		{false, "date: 2026-11-01\nembargo_until: 2026-11-28 7.30\n", `the-grant.md:5:1: embargo_until "2026-11-28 7.30" is not a date`},
		{false, "date: 2026-11-01\nembargo_until: 28/11/2026\n", `embargo_until "28/11/2026" is not a date`},
		{false, "date: 2026-11-01\nembargo_until: 2026-11-28 07:30 Mars/Base\n", `is not a date`},
		{true, "date = 2026-11-01\nembargo_until = 07:30:00\n", "embargo_until 07:30:00 is a time without a date"},
	}
	for _, tc := range tests {
		src := timesSite(t, "", tc.toml, tc.front)
		_, list := Check(context.Background(), Options{Source: src, Now: Day(2026, 11, 27)})
		if !strings.Contains(list.Error(), tc.want) {
			t.Errorf("%q: check says\n%s\nwant %q", tc.front, list, tc.want)
		}
	}
}

// TestSameNowSameBytes builds twice with the same --now in a site with a
// time zone: the outputs are identical.
func TestSameNowSameBytes(t *testing.T) {
	src := timesSite(t, "America/Los_Angeles", false, "date: 2026-11-01\nembargo_until: 2026-11-20T07:30\n")
	a, b := t.TempDir()+"/a", t.TempDir()+"/b"
	for _, out := range []string{a, b} {
		if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: Day(2026, 11, 27)}); err != nil {
			t.Fatal(err)
		}
	}
	if ha, hb := hashTree(t, a), hashTree(t, b); ha != hb {
		t.Fatalf("two builds with the same --now differ: %s vs %s", ha, hb)
	}
}

// TestNewsletterSendTime checks that an issue's date, with a time or
// without, is honoured in the site's zone: before it, the issue is a
// preview and is not sent.
func TestNewsletterSendTime(t *testing.T) {
	tests := []struct {
		zone, date string
		now        time.Time
		preview    bool
	}{
		{"Europe/London", "date: 2026-11-26T09:00\n", utc("2026-11-26T08:59:00Z"), true},
		{"Europe/London", "date: 2026-11-26T09:00\n", utc("2026-11-26T09:00:00Z"), false},
		{"", "date: 2026-11-26T09:00:00-05:00\n", utc("2026-11-26T13:59:00Z"), true},
		{"", "date: 2026-11-26T09:00:00-05:00\n", utc("2026-11-26T14:00:00Z"), false},
		{"America/Chicago", "", utc("2026-11-01T04:59:00Z"), true}, // the start of the month, CDT
		{"America/Chicago", "", utc("2026-11-01T05:00:00Z"), false},
		{"America/Chicago", "date: 2026-11-26\n", Day(2026, 11, 25), true},
		{"America/Chicago", "date: 2026-11-26\n", Day(2026, 11, 26), false},
	}
	for _, tc := range tests {
		cfg := "title: Times test\nbase_url: https://t.example/\nnewsletter:\n  from: News <news@t.example>\n"
		if tc.zone != "" {
			cfg += "timezone: " + tc.zone + "\n"
		}
		src := writeSite(t, map[string]string{
			"site.yaml":                     cfg,
			"content/newsletter/2026-11.md": "---\nsubject: November news\npreheader: What the partnership did in November, and what comes next.\n" + tc.date + "---\nHello.\n",
		})
		site, errs := Load(Options{Source: src, Now: tc.now})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		is, _ := site.Assemble(site.Newsletters[0])
		if is.Preview != tc.preview {
			t.Errorf("%s %q at %s: preview = %v, want %v (send date %s)", tc.zone, tc.date, site.Now.UTC().Format(time.RFC3339), is.Preview, tc.preview, is.Date.UTC().Format(time.RFC3339))
		}
	}
}

// TestDataDatesInTheSiteZone checks that partners' and decisions' dates
// are days in the site's zone, as stories' are.
func TestDataDatesInTheSiteZone(t *testing.T) {
	src := writeSite(t, map[string]string{
		"site.yaml":           "title: Times test\nbase_url: https://t.example/\ntimezone: Asia/Tokyo\n",
		"data/partners.yaml":  "- {id: acme, name: Acme Water, sector: private, joined: 2026-11-28}\n",
		"data/decisions.yaml": "- {id: go, date: 2026-11-28, decision: Go ahead, revisit_on: 2027-01-05}\n",
	})
	site, errs := Load(Options{Source: src, Now: utc("2026-11-27T15:00:00Z")})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	if got := site.Partner("acme").Joined; !got.Equal(utc("2026-11-27T15:00:00Z")) || got.Format("2006-01-02") != "2026-11-28" {
		t.Errorf("joined = %v, want the start of 28 November in Tokyo", got)
	}
	if got := site.Decision("go").RevisitOn; !got.Equal(utc("2027-01-04T15:00:00Z")) {
		t.Errorf("revisit_on = %v, want the start of 5 January in Tokyo", got)
	}
}
