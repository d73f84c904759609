// Package mailer delivers messages by SMTP: STARTTLS (or TLS on port 465)
// with the server's certificate checked, authentication only over an
// encrypted connection, and plain SMTP only to the local machine, for
// tests and local relays.
package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"
)

// Config says where and how to deliver.
type Config struct {
	Host     string
	Port     int // 587 when zero
	Username string
	Password string // from the environment, never from a file
	// TLS is the TLS configuration; nil checks the server's certificate
	// against the system's roots for Host.
	TLS *tls.Config
	// Timeout bounds the whole delivery; 2 minutes when zero.
	Timeout time.Duration
	// HelloName is the name given in EHLO; "localhost" when empty.
	HelloName string
	// Dial connects to the server; a net.Dialer when nil. Tests use it to
	// reach a server on 127.0.0.1 under another name.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Message is one message and its envelope.
type Message struct {
	From string   // the envelope sender, a bare address
	To   []string // bare addresses
	Data []byte   // the message, CRLF line ends
}

// Delivery is what happened to one message.
type Delivery struct {
	To  []string
	Err error // nil when the server accepted the message
}

// Security says how the connection was protected.
type Security string

// How a connection can be protected.
const (
	STARTTLS Security = "STARTTLS"
	TLS      Security = "TLS"
	Plain    Security = "plain SMTP, local machine only"
)

// Addr returns host:port with the default port.
func (c Config) Addr() string {
	port := c.Port
	if port == 0 {
		port = 587
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(port))
}

// Local reports whether host is the local machine, where plain SMTP is allowed.
func Local(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send delivers the messages over one connection, one transaction each,
// and reports each one. The error is for the connection as a whole: no
// server, no encryption on offer, a refused login. A message the server
// refuses is reported in its Delivery, and the others are still sent.
func Send(ctx context.Context, cfg Config, msgs []Message) (Security, []Delivery, error) {
	if cfg.Host == "" {
		return "", nil, errors.New("no SMTP server: set newsletter.smtp_host in site.yaml or DRUMBEAT_SMTP_HOST")
	}
	if strings.ContainsAny(cfg.Host+cfg.Username+cfg.Password, "\r\n") {
		return "", nil, errors.New("the SMTP settings contain a line break")
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tlsCfg := cfg.TLS
	if tlsCfg == nil {
		tlsCfg = &tls.Config{}
	}
	tlsCfg = tlsCfg.Clone()
	if tlsCfg.ServerName == "" {
		tlsCfg.ServerName = cfg.Host
	}
	if tlsCfg.MinVersion == 0 {
		tlsCfg.MinVersion = tls.VersionTLS12
	}

	dial := cfg.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", cfg.Addr())
	if err != nil {
		return "", nil, fmt.Errorf("connect to %s: %w", cfg.Addr(), err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	sec := Plain
	if cfg.Port == 465 {
		tc := tls.Client(conn, tlsCfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return "", nil, fmt.Errorf("TLS with %s: %w", cfg.Addr(), err)
		}
		conn, sec = tc, TLS
	}
	c, err := smtp.NewClient(conn, cfg.Host)
	if err != nil {
		conn.Close()
		return "", nil, fmt.Errorf("SMTP with %s: %w", cfg.Addr(), err)
	}
	defer c.Close()
	hello := cfg.HelloName
	if hello == "" {
		hello = "localhost"
	}
	if err := c.Hello(hello); err != nil {
		return "", nil, fmt.Errorf("SMTP with %s: %w", cfg.Addr(), err)
	}
	if sec == Plain {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsCfg); err != nil {
				return "", nil, fmt.Errorf("STARTTLS with %s: %w", cfg.Addr(), err)
			}
			sec = STARTTLS
		} else if !Local(cfg.Host) {
			return "", nil, fmt.Errorf("%s does not offer STARTTLS; drumbeat sends mail only over an encrypted connection (plain SMTP only to localhost)", cfg.Addr())
		}
	}
	if cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return sec, nil, fmt.Errorf("%s does not offer to log in (no AUTH), but newsletter.smtp_username is set", cfg.Addr())
		}
		if err := c.Auth(smtp.PlainAuth("", cfg.Username, cfg.Password, cfg.Host)); err != nil {
			return sec, nil, fmt.Errorf("log in to %s as %s: %w", cfg.Addr(), cfg.Username, err)
		}
	}
	var out []Delivery
	for _, m := range msgs {
		err := deliver(c, m)
		out = append(out, Delivery{To: m.To, Err: err})
		if err != nil {
			if ctx.Err() != nil {
				return sec, out, ctx.Err()
			}
			if rerr := c.Reset(); rerr != nil {
				return sec, out, fmt.Errorf("SMTP with %s: %w", cfg.Addr(), rerr)
			}
		}
	}
	// Every message is accepted or reported by now: a failed goodbye loses nothing.
	c.Quit()
	return sec, out, nil
}

func deliver(c *smtp.Client, m Message) error {
	for _, a := range append([]string{m.From}, m.To...) {
		if strings.ContainsAny(a, "\r\n<>") {
			return fmt.Errorf("address %q is not allowed", a)
		}
	}
	if err := c.Mail(m.From); err != nil {
		return err
	}
	for _, to := range m.To {
		if err := c.Rcpt(to); err != nil {
			return fmt.Errorf("%s: %w", to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(m.Data); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
