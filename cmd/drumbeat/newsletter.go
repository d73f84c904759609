package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/mailer"
	"github.com/drumbeat/drumbeat/generator/render/email"
)

const newsletterUsage = `drumbeat newsletter send YYYY-MM --to ADDRESS[,ADDRESS] [--dry-run] [flags]

Sends the issue content/newsletter/YYYY-MM.md by SMTP, exactly as the build
writes it to public/newsletter/YYYY-MM/email.eml, one message to each
address. Its links and charts point at base_url: deploy the build first.

The SMTP server comes from site.yaml (newsletter.smtp_host, smtp_port,
smtp_username) or the environment (DRUMBEAT_SMTP_HOST, DRUMBEAT_SMTP_PORT,
DRUMBEAT_SMTP_USERNAME, which win). The password is read only from
DRUMBEAT_SMTP_PASSWORD. Mail goes over STARTTLS (TLS on port 465); plain
SMTP is allowed only to localhost.
`

func cmdNewsletter(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := stderr
		code := exitUsage
		if len(args) > 0 {
			w, code = stdout, exitOK
		}
		fmt.Fprint(w, newsletterUsage)
		return code
	}
	if args[0] != "send" {
		fmt.Fprintf(stderr, "drumbeat newsletter: unknown command %q\n\n%s", args[0], newsletterUsage)
		return exitUsage
	}
	return cmdNewsletterSend(ctx, args[1:], stdout, stderr)
}

func cmdNewsletterSend(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f siteFlags
	var to string
	var dry bool
	fs := newFlagSet("newsletter send", strings.TrimSpace(strings.SplitN(newsletterUsage, "\n\n", 2)[0])+": send an issue by email.", stderr)
	fs.StringVar(&f.source, "s", ".", "the site folder")
	fs.StringVar(&f.source, "source", ".", "the site folder")
	fs.StringVar(&f.baseURL, "base-url", "", "the site's absolute address, overriding base_url in site.yaml")
	fs.StringVar(&f.now, "now", "", "the date that decides what is published, YYYY-MM-DD (default today, or SOURCE_DATE_EPOCH)")
	fs.StringVar(&to, "to", "", "the recipients, separated by commas; each gets a message of their own")
	fs.BoolVar(&dry, "dry-run", false, "build and check the messages, and say what would be sent, without connecting")
	// The month may come before or after the flags.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return parseErrCode(err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "drumbeat newsletter send: name one issue, like 2026-11\n\n")
		fs.Usage()
		return exitUsage
	}
	if strings.TrimSpace(to) == "" {
		fmt.Fprintf(stderr, "drumbeat newsletter send: --to is required: the addresses to send the issue to\n")
		return exitUsage
	}
	recipients, err := email.ParseAddresses(to)
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat newsletter send: --to: %v\n", err)
		return exitUsage
	}
	opt, err := f.options()
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat newsletter send: %v\n", err)
		return exitUsage
	}
	s := generator.Send{To: recipients, DryRun: dry, SMTP: mailer.Config{
		Host:     os.Getenv("DRUMBEAT_SMTP_HOST"),
		Username: os.Getenv("DRUMBEAT_SMTP_USERNAME"),
		Password: os.Getenv("DRUMBEAT_SMTP_PASSWORD"),
	}}
	if p := os.Getenv("DRUMBEAT_SMTP_PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			fmt.Fprintf(stderr, "drumbeat newsletter send: DRUMBEAT_SMTP_PORT %q is not a port number\n", p)
			return exitUsage
		}
		s.SMTP.Port = n
	}
	rep, err := generator.SendNewsletter(ctx, opt, pos[0], s)
	printList(stderr, rep.Warnings)
	if rep.Issue != nil {
		printIssue(stdout, rep)
	}
	if err != nil {
		if l := diag.AsList(err); l != nil {
			printList(stderr, l)
			fmt.Fprintf(stderr, "nothing was sent: %s\n", countProblems(l))
			return exitInput
		}
		for _, m := range rep.Sent {
			if m.Err != nil {
				fmt.Fprintf(stderr, "not sent to %s: %v\n", m.To, m.Err)
			}
		}
		fmt.Fprintf(stderr, "drumbeat newsletter send: %v\n", err)
		return exitInput
	}
	return exitOK
}

// printIssue says what was sent, or would have been.
func printIssue(w io.Writer, rep generator.SendReport) {
	is, m := rep.Issue, rep.Message
	if rep.Sent == nil {
		return
	}
	if rep.DryRun {
		fmt.Fprintln(w, "dry run: nothing was sent")
	}
	fmt.Fprintf(w, "issue:    %s, %q, dated %s\n", is.Month, is.Subject, is.Date.Format("2 January 2006"))
	fmt.Fprintf(w, "from:     %s\n", m.From)
	if m.ReplyTo != "" {
		fmt.Fprintf(w, "reply-to: %s\n", m.ReplyTo)
	}
	fmt.Fprintf(w, "message:  %d bytes (plain text %d, HTML %d), multipart/alternative, List-Unsubscribe <%s>\n", rep.Size, len(m.Text), len(m.HTML), m.Unsubscribe)
	via := rep.Via
	if rep.Security != "" {
		via += " (" + string(rep.Security) + ")"
	}
	if rep.Username != "" {
		via += " as " + rep.Username
	}
	fmt.Fprintf(w, "via:      %s\n", via)
	verb := "sent to"
	if rep.DryRun {
		verb = "would send to"
	}
	n := 0
	for _, s := range rep.Sent {
		if s.Err != nil || rep.Security == "" {
			continue
		}
		n++
		fmt.Fprintf(w, "%s %s (Message-ID <%s>)\n", verb, s.To, s.MessageID)
	}
	if !rep.DryRun && rep.Security != "" {
		fmt.Fprintf(w, "sent %d of %d\n", n, len(rep.Sent))
	}
}
