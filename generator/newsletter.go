package generator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"path/filepath"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/mailer"
	"github.com/drumbeat/drumbeat/generator/media"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
	"github.com/drumbeat/drumbeat/generator/render/email"
	"github.com/drumbeat/drumbeat/generator/sendlog"
)

// Send is how to send a newsletter issue.
type Send struct {
	To     []Recipient // the recipients; each gets a message of their own
	DryRun bool        // build and check everything, connect to nothing
	// Probe, with DryRun, connects to the server, protects the
	// connection and logs in, and sends nothing.
	Probe bool
	// Resend sends again to the addresses the send log says already have
	// the issue; without it they are skipped.
	Resend bool
	// Rate is the most messages a minute; when zero, newsletter.rate from
	// site.yaml, and no limit without it.
	Rate float64
	// SMTP overrides newsletter.smtp_host, smtp_port, smtp_username and
	// smtp_auth from site.yaml where set; the password is only ever given
	// here.
	SMTP mailer.Config
	// UnsubscribeSecret signs each reader's {token} in
	// newsletter.unsubscribe (email.UnsubscribeToken); from the
	// environment only.
	UnsubscribeSecret string
	// Now is the time the messages are dated; the clock when zero.
	Now time.Time
	// Start is called once the messages are built and the send log read,
	// before connecting; Progress after each recipient's outcome. Both may
	// be nil.
	Start    func(*SendReport)
	Progress func(*SendReport, *Sent)
}

// Recipient is one address to send to.
type Recipient struct {
	Addr string // as written, "Pat Lee <pat@example.org>" or "pat@example.org"
	Name string // for the greeting; may be empty
	Line int    // the line in the list file, 0 for --to
}

// Status is what became of one recipient.
type Status string

// What can become of a recipient.
const (
	NotAttempted Status = "not attempted" // the send stopped before it
	Delivered    Status = "sent"          // the server accepted the message
	Failed       Status = "failed"        // the server refused it, or it could not be sent
	Skipped      Status = "skipped"       // the send log says they already have the issue
)

// SendReport says what was sent, or with DryRun what would have been.
type SendReport struct {
	Issue    *model.Issue
	Message  *email.Message // the issue's message, before it is addressed
	Size     int            // bytes of one message
	Via      string         // host:port
	Security mailer.Security
	Username string
	DryRun   bool
	Probed   bool    // a dry run connected and logged in
	Rate     float64 // messages a minute, 0 for no limit
	// Log is the send log, .drumbeat/sent/YYYY-MM.jsonl beside site.yaml.
	Log string
	// Recipients holds every recipient once, in the order given, with
	// what became of them.
	Recipients []*Sent
	Duplicates int // addresses given more than once, sent once
	// Resending is how many of the recipients the log says have the issue
	// and Resend sends again; InFlight how many were being sent when an
	// earlier send stopped (sent again, with the same Message-ID).
	Resending, InFlight int
	// Stopped says why the send ended before every recipient was tried:
	// the context was cancelled, or the connection was lost for good.
	Stopped  error
	Warnings diag.List
}

// Sent is one recipient and what became of them.
type Sent struct {
	To        string // as given
	Email     string // the bare address
	Name      string // for the greeting; may be empty
	MessageID string
	Status    Status
	// Reply is the server's reply: its acceptance, or its refusal; for a
	// skipped recipient, the reply logged when they were sent the issue.
	Reply    string
	Err      error // why it failed
	InFlight bool  // an earlier send stopped while sending to them
	At       time.Time
}

// Count returns how many recipients have the status.
func (r *SendReport) Count(st Status) int {
	n := 0
	for _, s := range r.Recipients {
		if s.Status == st {
			n++
		}
	}
	return n
}

// Complete reports whether every recipient has the issue: sent now or
// before.
func (r *SendReport) Complete() bool {
	for _, s := range r.Recipients {
		if s.Status != Delivered && s.Status != Skipped {
			return false
		}
	}
	return len(r.Recipients) > 0
}

// SendLogPath returns where the send log of an issue is kept: in the
// site's folder, so the team keeps it with the site.
func SendLogPath(source, month string) string {
	return filepath.Join(source, ".drumbeat", "sent", month+".jsonl")
}

// SendNewsletter builds the issue of month (written like 2026-11) exactly
// as the build writes its email.eml, and delivers it to each recipient by
// SMTP, one message each, writing each acceptance to the issue's send log
// before going on. Recipients the log says already have the issue are
// skipped. The site must have no errors, and the issue's date must have
// come at opt.Now. With DryRun it stops short of connecting.
//
// The error says why not every recipient has the issue; the report says
// who does, even when the send stopped part-way.
func SendNewsletter(ctx context.Context, opt Options, month string, s Send) (*SendReport, error) {
	opt.defaults()
	rep := &SendReport{DryRun: s.DryRun}
	if len(s.To) == 0 {
		return rep, fmt.Errorf("no recipients: pass --to ADDRESS[,ADDRESS] or --list FILE")
	}
	site, set, warnings, err := loadForEmail(ctx, opt)
	rep.Warnings = warnings
	if err != nil {
		return rep, err
	}
	// The email's layouts may be overridden in the site's layouts/, and its
	// texts come from the site's message catalogue.
	theme, err := loadTheme(opt.Source, site.Config.Language, false)
	if err != nil {
		return rep, err
	}
	msg, mi, err := render.Newsletter(site, month, set, theme)
	if err != nil {
		return rep, err
	}
	rep.Issue, rep.Message = mi, msg
	if mi.Preview {
		when, early := mi.Date.Format("2006-01-02"), mi.Date.Format("2006-01-02")
		if model.HasClock(mi.Date) {
			when, early = site.Moment(mi.Date), mi.Date.Format(time.RFC3339)
		}
		return rep, fmt.Errorf("the %s issue is dated %s, after %s: it is not sent before its date (to send it early, pass --now %s)",
			mi.Month, when, site.Moment(site.Now), early)
	}
	cfg := s.SMTP
	nc := site.Config.Newsletter
	if cfg.Host == "" {
		cfg.Host = nc.SMTPHost
	}
	if cfg.Port == 0 {
		cfg.Port = nc.SMTPPort
	}
	if cfg.Username == "" {
		cfg.Username = nc.SMTPUsername
	}
	if cfg.Auth == "" {
		cfg.Auth = nc.SMTPAuth
	}
	rep.Rate = s.Rate
	if rep.Rate == 0 && nc.Rate != "" {
		rep.Rate, _ = model.ParseRate(nc.Rate) // checked with the site
	}
	rep.Via, rep.Username = cfg.Addr(), cfg.Username
	now := s.Now
	if now.IsZero() {
		now = time.Now()
	}
	host := "drumbeat.invalid"
	if _, h, ok := strings.Cut(msg.MessageID, "@"); ok {
		host = h
	}

	// Every recipient once, checked before anything is sent.
	seen := map[string]bool{}
	for _, r := range s.To {
		a, err := mail.ParseAddress(r.Addr)
		if err != nil || strings.ContainsAny(r.Addr, "\r\n") {
			return rep, fmt.Errorf("%q is not an email address", r.Addr)
		}
		k := sendlog.Key(a.Address)
		if seen[k] {
			rep.Duplicates++
			continue
		}
		seen[k] = true
		name := r.Name
		if name == "" && r.Line == 0 {
			name = a.Name // --to "Pat Lee <pat@example.org>"
		}
		rep.Recipients = append(rep.Recipients, &Sent{To: r.Addr, Email: a.Address, Name: name, Status: NotAttempted})
	}

	rep.Log = SendLogPath(opt.Source, mi.Month.String())
	var state sendlog.State
	var log *sendlog.Log
	if s.DryRun {
		state, err = sendlog.Read(rep.Log)
	} else {
		log, err = sendlog.Open(rep.Log)
		if log != nil {
			defer log.Close()
			state = log.State
		}
	}
	if err != nil {
		return rep, fmt.Errorf("the send log: %w", err)
	}
	for _, r := range rep.Recipients {
		if e, ok := state.Has(r.Email); ok {
			if s.Resend {
				rep.Resending++
				continue
			}
			r.Status, r.MessageID, r.Reply, r.At = Skipped, e.MessageID, e.Reply, e.Time
			continue
		}
		if e, ok := state[sendlog.Key(r.Email)]; ok && e.Status == sendlog.Sending {
			// The last send stopped with this message at the server: it
			// may have arrived. Sent again with the same Message-ID, so a
			// mail client that has it shows it once.
			r.InFlight, r.MessageID = true, e.MessageID
			rep.InFlight++
		}
	}

	// Build each message before connecting: a message that cannot be
	// built stops the send before anything leaves.
	msgs := make(map[*Sent]mailer.Message)
	for _, r := range rep.Recipients {
		if r.Status == Skipped {
			continue
		}
		if r.MessageID == "" {
			r.MessageID = fmt.Sprintf("newsletter-%s.%s.%s@%s", mi.Month, now.UTC().Format("20060102T150405"), token(), host)
		}
		reader := email.Reader{Name: r.Name, Email: r.Email}
		if s.UnsubscribeSecret != "" {
			reader.Token = email.UnsubscribeToken(s.UnsubscribeSecret, r.Email)
		}
		m := msg.Copy([]string{r.To}, now, r.MessageID).For(reader)
		b, err := m.Bytes()
		if err != nil {
			return rep, err
		}
		from, rcpt, err := m.Envelope()
		if err != nil {
			return rep, err
		}
		rep.Size = len(b)
		msgs[r] = mailer.Message{From: from, To: rcpt, Data: b}
	}
	if rep.Size == 0 {
		if b, err := msg.Copy(nil, now, msg.MessageID).Bytes(); err == nil {
			rep.Size = len(b)
		}
	}
	if cfg.Host == "" {
		rep.Via = "no SMTP server"
		return rep, fmt.Errorf("no SMTP server: set newsletter.smtp_host in site.yaml (or DRUMBEAT_SMTP_HOST)")
	}
	if cfg.Username != "" && cfg.Password == "" {
		return rep, fmt.Errorf("newsletter.smtp_username is %s but DRUMBEAT_SMTP_PASSWORD is not set; drumbeat reads the password only from the environment", cfg.Username)
	}
	if strings.Contains(nc.Unsubscribe, "{token}") && s.UnsubscribeSecret == "" {
		return rep, fmt.Errorf("newsletter.unsubscribe holds {token}, but DRUMBEAT_UNSUBSCRIBE_SECRET is not set: set it to the secret your unsubscribe service checks the token with")
	}

	if s.DryRun {
		switch {
		case cfg.Port == 465:
			rep.Security = mailer.TLS
		case mailer.Local(cfg.Host):
			rep.Security = "STARTTLS when offered, else " + mailer.Plain
		default:
			rep.Security = mailer.STARTTLS
		}
		if s.Probe {
			c, err := mailer.Dial(ctx, cfg)
			if err != nil {
				return rep, err
			}
			rep.Security = c.Security()
			rep.Probed = true
			if err := c.Close(); err != nil {
				return rep, fmt.Errorf("say goodbye to %s: %w", cfg.Addr(), err)
			}
		}
		if s.Start != nil {
			s.Start(rep)
		}
		return rep, nil
	}
	if s.Start != nil {
		s.Start(rep)
	}
	if len(msgs) == 0 {
		return rep, nil // everyone has it already
	}

	c, err := mailer.Dial(ctx, cfg)
	if err != nil {
		rep.Stopped = err
		return rep, err
	}
	defer c.Close()
	rep.Security = c.Security()
	var interval time.Duration
	if rep.Rate > 0 {
		interval = time.Duration(float64(time.Minute) / rep.Rate)
	}
	var next time.Time
	for _, r := range rep.Recipients {
		if r.Status == Skipped {
			continue
		}
		if wait := time.Until(next); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
			case <-t.C:
			}
		}
		if ctx.Err() != nil {
			rep.Stopped = ctx.Err()
			break
		}
		next = time.Now().Add(interval)
		if err := log.Append(sendlog.Entry{Email: r.Email, Status: sendlog.Sending, MessageID: r.MessageID, Time: time.Now().UTC()}); err != nil {
			rep.Stopped = err
			break
		}
		reply, err := c.Send(ctx, msgs[r])
		r.At = time.Now().UTC()
		var ce *mailer.ConnError
		if errors.As(err, &ce) {
			// Nothing more can be sent; this one was not delivered.
			r.Status, r.Err = Failed, err
			r.Reply = err.Error()
			rep.Stopped = err
		} else if err != nil {
			r.Status, r.Err, r.Reply = Failed, err, err.Error()
		} else {
			r.Status, r.Reply = Delivered, reply
		}
		st := sendlog.Sent
		if r.Status == Failed {
			st = sendlog.Failed
		}
		if err := log.Append(sendlog.Entry{Email: r.Email, Status: st, MessageID: r.MessageID, Time: r.At, Reply: r.Reply}); err != nil {
			rep.Stopped = err
		}
		if s.Progress != nil {
			s.Progress(rep, r)
		}
		if rep.Stopped != nil {
			break
		}
	}
	if rep.Stopped != nil {
		return rep, rep.Stopped
	}
	if !rep.Complete() {
		return rep, fmt.Errorf("%d of %d recipients do not have the issue", len(rep.Recipients)-rep.Count(Delivered)-rep.Count(Skipped), len(rep.Recipients))
	}
	return rep, nil
}

// token is a short random string that makes a Message-ID unique.
func token() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// loadForEmail loads the site for an email of it (a send or an export):
// it must have no errors, and its remote images, if it allows them, are
// downloaded, since the email points at the site's copies, named by their
// bytes. It returns the warnings.
func loadForEmail(ctx context.Context, opt Options) (*model.Site, *media.Set, diag.List, error) {
	memo := openMemo(opt)
	site, errs := loadSite(ctx, opt, memo)
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	if site == nil || errs.HasErrors() {
		return nil, nil, nil, errs.Err()
	}
	if site.Config.AllowRemoteImages {
		if l := fetchRemoteImages(ctx, site, newRemoteFetcher(opt.remoteLoopbackOK), discard{}); l.HasErrors() {
			return nil, nil, errs.Warnings(), l.Err()
		}
	}
	// The email shows the photos the site build made, by the same names:
	// the image stage runs again, from the cache.
	set, merrs := pictures(ctx, opt, site, false, memo)
	if merrs.HasErrors() {
		return nil, nil, errs.Warnings(), merrs.Err()
	}
	set.Processor().Close()
	return site, set, append(errs.Warnings(), merrs.Warnings()...), nil
}
