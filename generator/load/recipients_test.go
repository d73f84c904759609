package load

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestRecipients(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []string // email|name|partner per recipient
		errs []string // the errors, in order
	}{
		{"bom and crlf", "\ufeffEmail,Name,Partner,Role\r\npat@example.org,Pat Lee,kestrel,CEO\r\nsam@example.org,,,\r\n",
			[]string{"pat@example.org|Pat Lee|kestrel", "sam@example.org||"}, nil},
		{"email only, duplicates kept", "email\nPat@Example.org\npat@example.org\n\n",
			[]string{"Pat@Example.org||", "pat@example.org||"}, nil},
		{"quoted name with a comma", "name,email\n\"Lee, Pat\",pat@example.org\n",
			[]string{"pat@example.org|Lee, Pat|"}, nil},
		{"wrong field count", "email,name\npat@example.org,Pat\nsam@example.org,Sam,extra\n", nil,
			[]string{"list.csv:3: this row has 3 fields but the header has 2"}},
		{"malformed addresses", "name,email\nPat,pat@example.org\nSam,sam.example.org\nKim,\nLee,Lee <lee@example.org>\n", nil,
			[]string{`list.csv:3:5: "sam.example.org" is not an email address`, "list.csv:4:5: no email address",
				`list.csv:5:5: "Lee <lee@example.org>" is not an email address`}},
		{"semicolons, as Excel in much of Europe saves CSV", "Name;E-mail;Email\r\n\"Lee; Pat\";x;pat@example.org\r\nSam, Jo;;sam@example.org\r\n",
			[]string{"pat@example.org|Lee; Pat|", "sam@example.org|Sam, Jo|"}, nil},
		{"tabs", "email\tname\npat@example.org\tPat Lee\n",
			[]string{"pat@example.org|Pat Lee|"}, nil},
		{"no email column", "name,mail\nPat,pat@example.org\n", nil, []string{`list.csv:1: the header has no "email" column`}},
		{"empty", "", nil, []string{"list.csv:1: the file is empty; it needs a header row"}},
		{"utf-16", "\xff\xfee\x00", nil, []string{"list.csv:1: the file is UTF-16, not UTF-8"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, errs := Recipients(fstest.MapFS{"list.csv": {Data: []byte(tc.file)}}, "list.csv")
			var got, gotErrs []string
			for _, r := range rs {
				got = append(got, r.Email+"|"+r.Name+"|"+r.Partner)
			}
			for _, e := range errs {
				gotErrs = append(gotErrs, e.Pos.String()+": "+e.Msg)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") || strings.Join(gotErrs, "\n") != strings.Join(tc.errs, "\n") {
				t.Errorf("got %q, errors %q\nwant %q, errors %q", got, gotErrs, tc.want, tc.errs)
			}
		})
	}
}

func FuzzRecipients(f *testing.F) {
	f.Add("email,name\npat@example.org,Pat\n")
	f.Add("\ufeffemail\r\n\"a,b\"@example.org\r\n")
	f.Add("email,name\npat@example.org\n")
	f.Fuzz(func(t *testing.T, s string) {
		rs, errs := Recipients(fstest.MapFS{"list.csv": {Data: []byte(s)}}, "list.csv")
		if len(errs.Errors()) > 0 && rs != nil {
			t.Error("a list with errors was returned")
		}
		lines := strings.Count(s, "\n") + 1
		for _, e := range errs {
			if e.Pos.File != "list.csv" || e.Pos.Line < 1 || e.Pos.Line > lines {
				t.Errorf("error %v has no position inside the input (%d lines)", e, lines)
			}
		}
	})
}
