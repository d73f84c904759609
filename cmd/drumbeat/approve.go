package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/drumbeat/drumbeat/generator"
)

func cmdApprove(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("approve", "drumbeat approve STORY_FILE --partner ID --by NAME [-s DIR] [--on YYYY-MM-DD]: record that a partner approved the story as it is now (its text, image, tags, metrics, card figure, address and partners).", stderr)
	var source, partner, by, on string
	fs.StringVar(&source, "s", ".", "the site folder")
	fs.StringVar(&source, "source", ".", "the site folder")
	fs.StringVar(&partner, "partner", "", "the id of the approving partner (from data/partners.yaml)")
	fs.StringVar(&by, "by", "", "the name of the person who approved")
	fs.StringVar(&on, "on", "", "the day of the approval, YYYY-MM-DD (default today, or SOURCE_DATE_EPOCH)")
	// The story may come before or after the flags.
	var story string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		story, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return parseErrCode(err)
	}
	if story == "" && fs.NArg() > 0 {
		story = fs.Arg(0)
	}
	if story == "" || partner == "" || by == "" {
		fs.Usage()
		return exitUsage
	}
	day, err := parseNow(on, "")
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat approve: --on: %v\n", err)
		return exitUsage
	}
	fp, err := generator.Approve(generator.Options{Source: source}, generator.Approval{Story: story, Partner: partner, By: by, On: day})
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat approve: %v\n", err)
		return exitInput
	}
	version, _, _ := strings.Cut(fp, " ")
	fmt.Fprintf(stdout, "recorded %s's approval of %s by %s on %s (fingerprint %s)\n", partner, story, by, day.Format("2006-01-02"), version)
	return exitOK
}
