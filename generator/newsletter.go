package generator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/mailer"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
	"github.com/drumbeat/drumbeat/generator/render/email"
)

// Send is how to send a newsletter issue.
type Send struct {
	To     []string // the recipients; each gets a message of their own
	DryRun bool     // build and check everything, connect to nothing
	// SMTP overrides newsletter.smtp_host, smtp_port and smtp_username
	// from site.yaml where set; the password is only ever given here.
	SMTP mailer.Config
	// Now is the time the messages are dated; the clock when zero.
	Now time.Time
}

// SendReport says what was sent, or with DryRun what would have been.
type SendReport struct {
	Issue    *model.Issue
	Message  *email.Message // the issue's message, before it is addressed
	Size     int            // bytes of one message
	Via      string         // host:port
	Security mailer.Security
	Username string
	DryRun   bool
	Sent     []Sent
	Warnings diag.List
}

// Sent is one message and what became of it.
type Sent struct {
	To        string
	MessageID string
	Err       error
}

// SendNewsletter builds the issue of month (written like 2026-11) exactly
// as the build writes its email.eml, and delivers it to each recipient by
// SMTP. The site must have no errors, and the issue's date must have come
// at opt.Now. With DryRun it stops short of connecting.
func SendNewsletter(ctx context.Context, opt Options, month string, s Send) (SendReport, error) {
	opt.defaults()
	var rep SendReport
	rep.DryRun = s.DryRun
	if len(s.To) == 0 {
		return rep, fmt.Errorf("no recipients: pass --to ADDRESS[,ADDRESS]")
	}
	site, errs := Load(opt)
	if site == nil || errs.HasErrors() {
		return rep, errs.Err()
	}
	rep.Warnings = errs.Warnings()
	if site.Config.AllowRemoteImages {
		// The email points at the site's copies, named by their bytes.
		if l := fetchRemoteImages(ctx, site, newRemoteFetcher(opt.remoteLoopbackOK), discard{}); l.HasErrors() {
			return rep, l.Err()
		}
	}
	msg, mi, err := render.Newsletter(site, month)
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
	rep.Via, rep.Username = cfg.Addr(), cfg.Username
	now := s.Now
	if now.IsZero() {
		now = time.Now()
	}
	host := "drumbeat.invalid"
	if _, h, ok := strings.Cut(msg.MessageID, "@"); ok {
		host = h
	}
	var msgs []mailer.Message
	for _, to := range s.To {
		id := fmt.Sprintf("newsletter-%s.%s.%s@%s", mi.Month, now.UTC().Format("20060102T150405"), token(), host)
		m := msg.Copy([]string{to}, now, id)
		b, err := m.Bytes()
		if err != nil {
			return rep, err
		}
		from, rcpt, err := m.Envelope()
		if err != nil {
			return rep, err
		}
		rep.Size = len(b)
		msgs = append(msgs, mailer.Message{From: from, To: rcpt, Data: b})
		rep.Sent = append(rep.Sent, Sent{To: to, MessageID: id})
	}
	if cfg.Host == "" {
		rep.Via = "no SMTP server"
		return rep, fmt.Errorf("no SMTP server: set newsletter.smtp_host in site.yaml (or DRUMBEAT_SMTP_HOST)")
	}
	if cfg.Username != "" && cfg.Password == "" {
		return rep, fmt.Errorf("newsletter.smtp_username is %s but DRUMBEAT_SMTP_PASSWORD is not set; drumbeat reads the password only from the environment", cfg.Username)
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
		return rep, nil
	}
	sec, deliveries, err := mailer.Send(ctx, cfg, msgs)
	rep.Security = sec
	for i, d := range deliveries {
		rep.Sent[i].Err = d.Err
	}
	if err != nil {
		return rep, err
	}
	if len(deliveries) < len(msgs) {
		return rep, fmt.Errorf("only %d of %d messages were sent", len(deliveries), len(msgs))
	}
	var failed []string
	for _, s := range rep.Sent {
		if s.Err != nil {
			failed = append(failed, s.To)
		}
	}
	if len(failed) > 0 {
		return rep, fmt.Errorf("the server refused the message to %s", strings.Join(failed, ", "))
	}
	return rep, nil
}

// token is a short random string that makes a Message-ID unique.
func token() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
