package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/mailer"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/email"
)

const newsletterUsage = `drumbeat newsletter send YYYY-MM (--to ADDRESS[,ADDRESS] | --list FILE) [--dry-run [--probe]] [--resend] [--rate N/min] [flags]
drumbeat newsletter export YYYY-MM --for listmonk|mailchimp|plain -o DIR [flags]

Sends the issue content/newsletter/YYYY-MM.md by SMTP, exactly as the build
writes it to public/newsletter/YYYY-MM/email.eml, one message to each
address. Its links and charts point at base_url: deploy the build first.

--list reads the recipients from a CSV file with a header row: an email
column, and optionally name, partner and others (docs/recipients.md). An
address listed twice gets one message. Any bad row stops the send before
anything is sent, with the file and line.

Each message the server accepts is written at once to the issue's send
log, .drumbeat/sent/YYYY-MM.jsonl beside site.yaml; keep it with the site.
Running the same command again skips everyone in the log, so after a
failure or an interruption run it again to reach the rest. --resend sends
again to the addresses in the log.

The SMTP server comes from site.yaml (newsletter.smtp_host, smtp_port,
smtp_username, smtp_auth, rate) or the environment (DRUMBEAT_SMTP_HOST,
DRUMBEAT_SMTP_PORT, DRUMBEAT_SMTP_USERNAME, DRUMBEAT_SMTP_AUTH, which
win). The password (or, with XOAUTH2, the access token) is read only from
DRUMBEAT_SMTP_PASSWORD. Mail goes over STARTTLS (TLS on port 465); plain
SMTP is allowed only to localhost. --dry-run --probe connects and logs
in, and sends nothing. An unsubscribe address with {token} needs the
secret its tokens are signed with in DRUMBEAT_UNSUBSCRIBE_SECRET.

Exit status 0 means every recipient has the issue (sent now or before).

export writes the issue's email.html, email.txt and subject.txt into DIR
for a list manager, with its own unsubscribe and name tags in place of
drumbeat's (docs/list-managers.md).
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
	switch args[0] {
	case "send":
		return cmdNewsletterSend(ctx, args[1:], stdout, stderr)
	case "export":
		return cmdNewsletterExport(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "drumbeat newsletter: unknown command %q\n\n%s", args[0], newsletterUsage)
	return exitUsage
}

func cmdNewsletterExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f siteFlags
	var service, out string
	fs := newFlagSet("newsletter export", "drumbeat newsletter export YYYY-MM --for listmonk|mailchimp|plain -o DIR: write an issue for a list manager.", stderr)
	f.registerSite(fs)
	fs.StringVar(&service, "for", "", "the list manager: listmonk, mailchimp or plain")
	fs.StringVar(&out, "o", "", "the folder to write email.html, email.txt and subject.txt into")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return parseErrCode(err)
	}
	if len(pos) != 1 || out == "" || !slices.Contains(email.Services, email.Service(service)) {
		fmt.Fprintf(stderr, "drumbeat newsletter export: name one issue, --for listmonk, mailchimp or plain, and -o DIR\n\n")
		fs.Usage()
		return exitUsage
	}
	opt, err := f.options()
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat newsletter export: %v\n", err)
		return exitUsage
	}
	rep, err := generator.ExportNewsletter(ctx, opt, pos[0], email.Service(service), out)
	printList(stderr, rep.Warnings)
	if err != nil {
		if l := diag.AsList(err); l != nil {
			printList(stderr, l)
			fmt.Fprintf(stderr, "nothing was written: %s\n", countProblems(l))
			return exitInput
		}
		fmt.Fprintf(stderr, "drumbeat newsletter export: %v\n", err)
		return exitInput
	}
	fmt.Fprintf(stdout, "issue:   %s, %q, dated %s\n", rep.Issue.Month, rep.Issue.Subject, rep.Issue.Date.Format("2 January 2006"))
	for _, p := range rep.Files {
		fmt.Fprintf(stdout, "wrote    %s\n", p)
	}
	fmt.Fprintf(stdout, "next: see docs/list-managers.md for the steps in %s\n", service)
	return exitOK
}

func cmdNewsletterSend(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f siteFlags
	var to, list, rate string
	var dry, probe, resend bool
	fs := newFlagSet("newsletter send", strings.SplitN(newsletterUsage, "\n", 2)[0]+": send an issue by email.", stderr)
	f.registerSite(fs)
	fs.StringVar(&to, "to", "", "the recipients, separated by commas; each gets a message of their own")
	fs.StringVar(&list, "list", "", "a CSV file of recipients: a header row with an email column, and optionally name, partner and others")
	fs.BoolVar(&dry, "dry-run", false, "build and check the messages, and say what would be sent, without connecting")
	fs.BoolVar(&probe, "probe", false, "with --dry-run: connect to the SMTP server, check TLS and the login, and send nothing")
	fs.BoolVar(&resend, "resend", false, "send again to the addresses the send log says already have the issue")
	fs.StringVar(&rate, "rate", "", "at most this many messages, like 30/min (default newsletter.rate in site.yaml, else no limit)")
	// The month may come before or after the flags.
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return parseErrCode(err)
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "drumbeat newsletter send: name one issue, like 2026-11\n\n")
		fs.Usage()
		return exitUsage
	}
	if probe && !dry {
		fmt.Fprintf(stderr, "drumbeat newsletter send: --probe goes with --dry-run\n")
		return exitUsage
	}
	if strings.TrimSpace(to) == "" && list == "" {
		fmt.Fprintf(stderr, "drumbeat newsletter send: --to or --list is required: the addresses to send the issue to\n")
		return exitUsage
	}
	var recipients []generator.Recipient
	if strings.TrimSpace(to) != "" {
		addrs, err := email.ParseAddresses(to)
		if err != nil {
			fmt.Fprintf(stderr, "drumbeat newsletter send: --to: %v\n", err)
			return exitUsage
		}
		for _, a := range addrs {
			r := generator.Recipient{Addr: a}
			if ma, err := mail.ParseAddress(a); err == nil {
				r.Name = ma.Name
			}
			recipients = append(recipients, r)
		}
	}
	if list != "" {
		rs, l := load.RecipientsFile(list)
		if l.HasErrors() {
			printList(stderr, l)
			fmt.Fprintf(stderr, "nothing was sent: %s in %s\n", countProblems(l), list)
			return exitInput
		}
		for _, r := range rs {
			addr := r.Email
			if r.Name != "" {
				addr = (&mail.Address{Name: r.Name, Address: r.Email}).String()
			}
			recipients = append(recipients, generator.Recipient{Addr: addr, Name: r.Name, Line: r.Line})
		}
		if len(recipients) == 0 {
			fmt.Fprintf(stderr, "drumbeat newsletter send: %s lists nobody\n", list)
			return exitInput
		}
	}
	opt, err := f.options()
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat newsletter send: %v\n", err)
		return exitUsage
	}
	s := generator.Send{To: recipients, DryRun: dry, Probe: probe, Resend: resend, UnsubscribeSecret: os.Getenv("DRUMBEAT_UNSUBSCRIBE_SECRET"), SMTP: mailer.Config{
		Host:     os.Getenv("DRUMBEAT_SMTP_HOST"),
		Username: os.Getenv("DRUMBEAT_SMTP_USERNAME"),
		Password: os.Getenv("DRUMBEAT_SMTP_PASSWORD"),
		Auth:     os.Getenv("DRUMBEAT_SMTP_AUTH"),
	}}
	if rate != "" {
		if s.Rate, err = model.ParseRate(rate); err != nil {
			fmt.Fprintf(stderr, "drumbeat newsletter send: --rate: %v\n", err)
			return exitUsage
		}
	}
	if p := os.Getenv("DRUMBEAT_SMTP_PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			fmt.Fprintf(stderr, "drumbeat newsletter send: DRUMBEAT_SMTP_PORT %q is not a port number\n", p)
			return exitUsage
		}
		s.SMTP.Port = n
	}
	pr := &sendPrinter{out: stdout, errw: stderr, term: isTerminal(stderr), source: f.source}
	s.Start = pr.start
	s.Progress = pr.progress
	rep, err := generator.SendNewsletter(ctx, opt, pos[0], s)
	printList(stderr, rep.Warnings)
	if err != nil {
		if l := diag.AsList(err); l != nil {
			printList(stderr, l)
			fmt.Fprintf(stderr, "nothing was sent: %s\n", countProblems(l))
			return exitInput
		}
	}
	if !pr.started {
		// Stopped before connecting: nothing was sent.
		fmt.Fprintf(stderr, "drumbeat newsletter send: %v\n", err)
		fmt.Fprintf(stderr, "nothing was sent\n")
		return exitInput
	}
	pr.finish(rep, err)
	if rep.DryRun {
		if err != nil {
			fmt.Fprintf(stderr, "drumbeat newsletter send: %v\n", err)
			return exitInput
		}
		return exitOK
	}
	if !rep.Complete() {
		return exitInput
	}
	return exitOK
}

// sendPrinter prints a send as it goes: what is sent, to whom, each
// outcome, a progress line on a terminal, and the summary.
type sendPrinter struct {
	out, errw io.Writer
	term      bool // errw is a terminal: keep a progress line on it
	source    string
	started   bool
	shown     bool // the progress line is on the screen
}

func (p *sendPrinter) start(rep *generator.SendReport) {
	p.started = true
	w := p.out
	is, m := rep.Issue, rep.Message
	if rep.DryRun {
		fmt.Fprintln(w, "dry run: nothing was sent")
	}
	fmt.Fprintf(w, "issue:    %s, %q, dated %s\n", is.Month, is.Subject, is.Date.Format("2 January 2006"))
	fmt.Fprintf(w, "from:     %s\n", m.From)
	if m.ReplyTo != "" {
		fmt.Fprintf(w, "reply-to: %s\n", m.ReplyTo)
	}
	unsub := fmt.Sprintf("List-Unsubscribe <%s>, the same for every reader", m.Unsubscribe)
	switch u := m.PersonalUnsubscribe(); {
	case email.PerReader(u) && strings.HasPrefix(u, "https:"):
		unsub = fmt.Sprintf("List-Unsubscribe <%s> for each reader, one-click", u)
	case u != "":
		unsub = fmt.Sprintf("List-Unsubscribe <%s> with each reader's address", u)
	}
	fmt.Fprintf(w, "message:  %d bytes (plain text %d, HTML %d), multipart/alternative, %s\n", rep.Size, len(m.Text), len(m.HTML), unsub)
	via := rep.Via
	if rep.Security != "" {
		via += " (" + string(rep.Security) + ")"
	}
	if rep.Username != "" {
		via += " as " + rep.Username
	}
	if rep.Probed {
		via += ": connected"
		if rep.Username != "" {
			via += " and logged in"
		}
		via += ", nothing sent"
	}
	fmt.Fprintf(w, "via:      %s\n", via)
	if rep.Rate > 0 {
		fmt.Fprintf(w, "rate:     at most %s a minute\n", strconv.FormatFloat(rep.Rate, 'f', -1, 64))
	}
	fmt.Fprintf(w, "log:      %s\n", p.rel(rep.Log))
	list := plural(len(rep.Recipients), "recipient", "recipients")
	if rep.Duplicates > 0 {
		list += fmt.Sprintf(" (%s given more than once, sent once)", plural(rep.Duplicates, "address", "addresses"))
	}
	fmt.Fprintf(w, "list:     %s\n", list)
	if n := rep.Count(generator.Skipped); n > 0 {
		fmt.Fprintf(w, "skipped %d already sent (in the send log; --resend sends again)\n", n)
	}
	if rep.Resending > 0 {
		fmt.Fprintf(w, "resending to %s already sent (--resend)\n", plural(rep.Resending, "address", "addresses"))
	}
	if rep.InFlight > 0 {
		fmt.Fprintf(w, "%s being sent when the last send stopped: sent again with the same Message-ID (they may get it twice)\n",
			plural(rep.InFlight, "address was", "addresses were"))
	}
	if rep.DryRun {
		for _, r := range rep.Recipients {
			if r.Status != generator.Skipped {
				fmt.Fprintf(w, "would send to %s (Message-ID <%s>)\n", r.To, r.MessageID)
			}
		}
	}
}

func (p *sendPrinter) rel(path string) string {
	if r, err := filepath.Rel(p.source, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

func (p *sendPrinter) clearLine() {
	if p.shown {
		fmt.Fprint(p.errw, "\r\033[K")
		p.shown = false
	}
}

func (p *sendPrinter) progress(rep *generator.SendReport, r *generator.Sent) {
	p.clearLine()
	switch r.Status {
	case generator.Delivered:
		fmt.Fprintf(p.out, "sent to %s (Message-ID <%s>)\n", r.To, r.MessageID)
	case generator.Failed:
		fmt.Fprintf(p.errw, "not sent to %s: %s\n", r.To, r.Reply)
	}
	if p.term {
		sent, failed, left := rep.Count(generator.Delivered), rep.Count(generator.Failed), rep.Count(generator.NotAttempted)
		fmt.Fprintf(p.errw, "sending: %d sent, %d failed, %d to go", sent, failed, left)
		p.shown = true
	}
}

// finish prints the summary: the truth about every recipient.
func (p *sendPrinter) finish(rep *generator.SendReport, err error) {
	p.clearLine()
	if rep.DryRun {
		fmt.Fprintf(p.out, "would send %d of %d, skipped %d already sent\n",
			len(rep.Recipients)-rep.Count(generator.Skipped), len(rep.Recipients), rep.Count(generator.Skipped))
		return
	}
	total := len(rep.Recipients)
	sent, skipped, failed, left := rep.Count(generator.Delivered), rep.Count(generator.Skipped), rep.Count(generator.Failed), rep.Count(generator.NotAttempted)
	summary := fmt.Sprintf("sent %d of %d, skipped %d already sent, failed %d, not attempted %d", sent, total, skipped, failed, left)
	if failed > 0 || left > 0 {
		for _, r := range rep.Recipients {
			if r.Status == generator.Failed {
				fmt.Fprintf(p.errw, "failed: %s: %s\n", r.To, r.Reply)
			}
		}
		for _, r := range rep.Recipients {
			if r.Status == generator.NotAttempted {
				fmt.Fprintf(p.errw, "not attempted: %s\n", r.To)
			}
		}
		if rep.Stopped != nil {
			why := rep.Stopped.Error()
			if errors.Is(rep.Stopped, context.Canceled) {
				why = "interrupted"
			}
			fmt.Fprintf(p.errw, "the send stopped: %s\n", why)
		} else if err != nil && failed == 0 {
			fmt.Fprintf(p.errw, "drumbeat newsletter send: %v\n", err)
		}
		fmt.Fprintf(p.errw, "%d of %d recipients do not have the issue; the send log %s holds everyone who does. Run the same command again to send to the rest: those already sent are skipped.\n",
			failed+left, total, p.rel(rep.Log))
	}
	fmt.Fprintln(p.out, summary)
}

// parseWithArgs parses flags that may stand before or after the command's
// own arguments (the month), and returns those arguments.
func parseWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
