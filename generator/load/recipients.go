package load

import (
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// Recipient is one row of a newsletter's recipient list.
type Recipient struct {
	Email   string            // the bare address, as written
	Name    string            // may be empty
	Partner string            // may be empty
	Extra   map[string]string // the other columns, by header name
	Line    int
}

// Recipients reads a recipient list: a CSV file with a header row, an
// email column and optionally name, partner and any others. A UTF-8 BOM
// and CRLF line ends are fine. A row with the wrong number of fields, an
// empty or malformed address, is an error at its line; every problem is
// reported, and the list is returned only when there is none. Duplicates
// are kept: the sender sends to each address once and counts them.
func Recipients(fsys fs.FS, name string) ([]Recipient, diag.List) {
	var errs diag.List
	c, f, ok := openCSV(fsys, name, &errs)
	if !ok {
		return nil, errs
	}
	defer f.Close()
	if !c.readHeader() {
		return nil, errs
	}
	if _, ok := c.col["email"]; !ok {
		c.errorf(diag.Pos{File: name, Line: 1}, "the header has no \"email\" column").
			WithHint("the first row names the columns, like: email,name,partner")
		return nil, errs
	}
	var out []Recipient
	for rec := c.next(); rec != nil; rec = c.next() {
		line, _ := c.r.FieldPos(0)
		r := Recipient{Line: line}
		for i, v := range rec {
			switch h := c.header[i]; h {
			case "email":
				r.Email = v
			case "name":
				r.Name = v
			case "partner":
				r.Partner = v
			default:
				if v != "" {
					if r.Extra == nil {
						r.Extra = map[string]string{}
					}
					r.Extra[h] = v
				}
			}
		}
		i := c.col["email"]
		switch a, err := mail.ParseAddress(r.Email); {
		case r.Email == "":
			c.errorf(c.pos(i), "no email address")
		case err != nil || a.Name != "" || !strings.EqualFold(a.Address, r.Email) || !strings.Contains(a.Address, "@"):
			e := c.errorf(c.pos(i), "%q is not an email address", r.Email)
			if err == nil {
				e.WithHint("write the bare address, like pat@example.org, and the name in the name column")
			}
		default:
			out = append(out, r)
		}
	}
	if errs.HasErrors() {
		return nil, errs
	}
	return out, errs
}

// RecipientsFile reads the recipient list at path, which may lie outside
// the site folder; positions name the file as path does.
func RecipientsFile(path string) ([]Recipient, diag.List) {
	rs, errs := Recipients(os.DirFS(filepath.Dir(path)), filepath.Base(path))
	for _, e := range errs {
		if e.Pos.File == filepath.Base(path) {
			e.Pos.File = path
		}
	}
	return rs, errs
}
