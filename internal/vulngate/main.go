// Command vulngate reads govulncheck's JSON (govulncheck -format json) on
// standard input and fails if the code reaches a vulnerability that the
// accepted list does not name. The list (make lint gives .ci/vuln-accepted)
// has one vulnerability a line, its ID first and then why it is accepted;
// a line starting with # is a comment. Every finding is printed, accepted or not, and so is
// an accepted ID that govulncheck no longer finds, so the list can shrink.
//
//	govulncheck -format json ./... | go run ./internal/vulngate -accepted .ci/vuln-accepted
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	accepted := flag.String("accepted", "", "the file of accepted vulnerability IDs")
	flag.Parse()
	ok, err := run(os.Stdin, os.Stdout, *accepted)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulngate:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// message is the part of one JSON message of govulncheck's that matters.
type message struct {
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
	Finding *struct {
		OSV          string `json:"osv"`
		FixedVersion string `json:"fixed_version"`
		Trace        []struct {
			Module   string `json:"module"`
			Version  string `json:"version"`
			Package  string `json:"package"`
			Function string `json:"function"`
		} `json:"trace"`
	} `json:"finding"`
}

// finding is one vulnerability the code calls.
type finding struct{ id, where, fixed string }

func run(in io.Reader, out io.Writer, acceptedFile string) (bool, error) {
	accepted := map[string]string{}
	if acceptedFile != "" {
		b, err := os.ReadFile(acceptedFile)
		if err != nil {
			return false, err
		}
		for n, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) == 0 || strings.HasPrefix(f[0], "#") {
				continue
			}
			if len(f) < 2 {
				return false, fmt.Errorf("%s:%d: %s is accepted without a reason (write why after the ID)", acceptedFile, n+1, f[0])
			}
			accepted[f[0]] = strings.Join(f[1:], " ")
		}
	}
	summaries := map[string]string{}
	called := map[string]*finding{}
	dec := json.NewDecoder(bufio.NewReader(in))
	messages := 0
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return false, fmt.Errorf("reading govulncheck's JSON: %v", err)
		}
		messages++
		if m.OSV != nil {
			summaries[m.OSV.ID] = m.OSV.Summary
		}
		// A finding whose innermost frame names a function is one the
		// code reaches; others only import or require the module.
		if f := m.Finding; f != nil && len(f.Trace) > 0 && f.Trace[0].Function != "" {
			if called[f.OSV] == nil {
				t := f.Trace[0]
				called[f.OSV] = &finding{id: f.OSV, where: t.Module + "@" + t.Version + " " + t.Package, fixed: f.FixedVersion}
			}
		}
	}
	if messages == 0 {
		return false, errors.New("no JSON on standard input (did govulncheck run?)")
	}
	ids := make([]string, 0, len(called))
	for id := range called {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	ok := true
	for _, id := range ids {
		f := called[id]
		fixed := "no fix yet"
		if f.fixed != "" {
			fixed = "fixed in " + f.fixed
		}
		if why, yes := accepted[id]; yes {
			fmt.Fprintf(out, "accepted %s: %s (%s, %s): %s\n", id, summaries[id], f.where, fixed, why)
			continue
		}
		ok = false
		fmt.Fprintf(out, "VULNERABLE %s: %s (%s, %s): https://pkg.go.dev/vuln/%s\n", id, summaries[id], f.where, fixed, id)
	}
	var gone []string
	for id := range accepted {
		if called[id] == nil {
			gone = append(gone, id)
		}
	}
	sort.Strings(gone)
	for _, id := range gone {
		fmt.Fprintf(out, "no longer found: %s (remove it from %s)\n", id, acceptedFile)
	}
	if ok {
		fmt.Fprintf(out, "govulncheck: the code reaches %d known vulnerabilities, all accepted in %s\n", len(ids), acceptedFile)
	} else {
		fmt.Fprintln(out, "govulncheck: the code reaches the vulnerabilities above: upgrade the module (or Go) that fixes them")
	}
	return ok, nil
}
