// Package mailer delivers messages by SMTP: STARTTLS (or TLS on port 465)
// with the server's certificate checked, authentication only over an
// encrypted connection, and plain SMTP only to the local machine, for
// tests and local relays.
//
// A Client keeps one connection and delivers one message at a time, each
// within its own time limit. A dropped connection is opened again, and a
// temporary failure (a 4xx reply, a time-out, a lost connection) is tried
// again after a pause that doubles each time, a bounded number of times.
// A permanent failure (a 5xx reply) is reported at once and not retried.
package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"net/textproto"
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
	// Auth is the login mechanism: "" picks PLAIN, or LOGIN when the
	// server offers no PLAIN; "PLAIN", "LOGIN" and "XOAUTH2" (Password is
	// then the OAuth 2 access token) insist on one.
	Auth string
	// TLS is the TLS configuration; nil checks the server's certificate
	// against the system's roots for Host.
	TLS *tls.Config
	// Timeout bounds connecting and logging in, and then each message's
	// transaction; 1 minute when zero.
	Timeout time.Duration
	// Retries is how many times a temporary failure is tried again; 3 when
	// zero, none when negative.
	Retries int
	// Backoff is the pause before the first retry, doubled before each
	// next one; 1 second when zero.
	Backoff time.Duration
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

// Error is a message the server did not accept.
type Error struct {
	// Code is the server's reply code, 0 when there was none (a lost
	// connection, a time-out, an address refused before it was sent).
	Code int
	// Temporary is true for a 4xx reply, a time-out or a lost connection:
	// trying again later may succeed.
	Temporary bool
	// Attempts is how many times the message was tried.
	Attempts int
	Err      error
}

func (e *Error) Error() string {
	s := e.Err.Error()
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (tried %d times)", e.Attempts)
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// ConnError is a failure of the connection as a whole: no server, no
// encryption on offer, a refused login, or a connection that could not be
// opened again. Nothing more can be sent.
type ConnError struct{ Err error }

func (e *ConnError) Error() string { return e.Err.Error() }
func (e *ConnError) Unwrap() error { return e.Err }

// Client is a connection to an SMTP server that delivers one message at a
// time and opens the connection again when it drops.
type Client struct {
	cfg Config
	tls *tls.Config
	c   *smtp.Client
	raw net.Conn
	sec Security
}

// Dial connects to the server, protects the connection and logs in. Its
// error is a *ConnError.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.Host == "" {
		return nil, &ConnError{errors.New("no SMTP server: set newsletter.smtp_host in site.yaml or DRUMBEAT_SMTP_HOST")}
	}
	if strings.ContainsAny(cfg.Host+cfg.Username+cfg.Password, "\r\n") {
		return nil, &ConnError{errors.New("the SMTP settings contain a line break")}
	}
	switch strings.ToUpper(cfg.Auth) {
	case "", "PLAIN", "LOGIN", "XOAUTH2":
	default:
		return nil, &ConnError{fmt.Errorf("SMTP login mechanism %q is not PLAIN, LOGIN or XOAUTH2", cfg.Auth)}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Retries == 0 {
		cfg.Retries = 3
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = time.Second
	}
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
	cl := &Client{cfg: cfg, tls: tlsCfg}
	if err := cl.connect(ctx); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, &ConnError{e.Err}
		}
		return nil, err
	}
	return cl, nil
}

// Security says how the connection is protected.
func (cl *Client) Security() Security { return cl.sec }

// connect opens the connection, protects it and logs in. A failure to
// reach the server is a temporary *Error (the caller may try again); the
// rest, which trying again cannot mend, is a *ConnError.
func (cl *Client) connect(ctx context.Context) error {
	cfg := cl.cfg
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	dial := cfg.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", cfg.Addr())
	if err != nil {
		return &Error{Temporary: true, Err: fmt.Errorf("connect to %s: %w", cfg.Addr(), err)}
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	fail := func(err error) error {
		conn.Close()
		var te *textproto.Error
		if errors.As(err, &te) && te.Code >= 400 && te.Code < 500 || isNetErr(err) {
			return &Error{Code: code(err), Temporary: true, Err: err}
		}
		return &ConnError{err}
	}
	sec := Plain
	if cfg.Port == 465 {
		tc := tls.Client(conn, cl.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return &ConnError{fmt.Errorf("TLS with %s: %w", cfg.Addr(), err)}
		}
		conn, sec = tc, TLS
	}
	c, err := smtp.NewClient(conn, cfg.Host)
	if err != nil {
		return fail(fmt.Errorf("SMTP with %s: %w", cfg.Addr(), err))
	}
	hello := cfg.HelloName
	if hello == "" {
		hello = "localhost"
	}
	if err := c.Hello(hello); err != nil {
		return fail(fmt.Errorf("SMTP with %s: %w", cfg.Addr(), err))
	}
	if sec == Plain {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(cl.tls); err != nil {
				conn.Close()
				return &ConnError{fmt.Errorf("STARTTLS with %s: %w", cfg.Addr(), err)}
			}
			sec = STARTTLS
		} else if !Local(cfg.Host) {
			conn.Close()
			return &ConnError{fmt.Errorf("%s does not offer STARTTLS; drumbeat sends mail only over an encrypted connection (plain SMTP only to localhost)", cfg.Addr())}
		}
	}
	if cfg.Username != "" {
		ok, offered := c.Extension("AUTH")
		if !ok {
			conn.Close()
			return &ConnError{fmt.Errorf("%s does not offer to log in (no AUTH), but newsletter.smtp_username is set", cfg.Addr())}
		}
		a, err := pickAuth(cfg, offered, sec != Plain || Local(cfg.Host))
		if err != nil {
			conn.Close()
			return &ConnError{fmt.Errorf("log in to %s as %s: %w", cfg.Addr(), cfg.Username, err)}
		}
		if err := c.Auth(a); err != nil {
			conn.Close()
			return &ConnError{fmt.Errorf("log in to %s as %s: %w", cfg.Addr(), cfg.Username, err)}
		}
	}
	conn.SetDeadline(time.Time{})
	cl.c, cl.raw, cl.sec = c, conn, sec
	return nil
}

// drop closes the connection without a goodbye; the next message opens a
// new one.
func (cl *Client) drop() {
	if cl.c != nil {
		cl.raw.Close()
		cl.c = nil
	}
}

// Close says goodbye to the server. Every message is accepted or reported
// by then: a failed goodbye loses nothing.
func (cl *Client) Close() error {
	if cl.c == nil {
		return nil
	}
	cl.raw.SetDeadline(time.Now().Add(10 * time.Second))
	err := cl.c.Quit()
	cl.raw.Close()
	cl.c = nil
	return err
}

// Send delivers one message and returns the server's reply to it, such as
// "250 2.0.0 Ok: queued as 1A2B3C". The transaction runs to its end or its
// time limit even when ctx is cancelled, so the caller knows what became of
// it; ctx cuts short only the pauses between attempts. A message the server
// refuses is an *Error; a connection that cannot be opened again is a
// *ConnError, after which nothing more can be sent.
func (cl *Client) Send(ctx context.Context, m Message) (reply string, err error) {
	for _, a := range append([]string{m.From}, m.To...) {
		if strings.ContainsAny(a, "\r\n<>") {
			return "", &Error{Attempts: 0, Err: fmt.Errorf("address %q is not allowed", a)}
		}
	}
	pause := cl.cfg.Backoff
	for attempt := 1; ; attempt++ {
		var err error
		if cl.c == nil {
			err = cl.connect(ctx)
		}
		if err == nil {
			reply, err = cl.transact(m)
			if err == nil {
				return reply, nil
			}
		}
		var ce *ConnError
		if errors.As(err, &ce) {
			return "", err
		}
		e := err.(*Error)
		e.Attempts = attempt
		if !e.Temporary || cl.cfg.Retries < 0 || attempt > cl.cfg.Retries {
			if e.Temporary && cl.c == nil {
				// The server could not be reached again: nothing more can be sent.
				return "", &ConnError{e}
			}
			return "", e
		}
		select {
		case <-ctx.Done():
			return "", e
		case <-time.After(pause):
		}
		pause *= 2
	}
}

// transact runs one mail transaction within the time limit. After a
// refusal the transaction is reset; after anything else the connection is
// dropped, to be opened again.
func (cl *Client) transact(m Message) (string, error) {
	c := cl.c
	cl.raw.SetDeadline(time.Now().Add(cl.cfg.Timeout))
	defer func() {
		if cl.c != nil {
			cl.raw.SetDeadline(time.Time{})
		}
	}()
	fail := func(err error) (string, error) {
		var te *textproto.Error
		if errors.As(err, &te) {
			// A refusal: the connection is still good once reset, unless
			// the server is closing it (421).
			if te.Code == 421 || c.Reset() != nil {
				cl.drop()
			}
			// The server's reply as it gave it, on one line.
			reply := fmt.Errorf("%d %s", te.Code, strings.ReplaceAll(te.Msg, "\n", " "))
			return "", &Error{Code: te.Code, Temporary: te.Code < 500, Err: reply}
		}
		cl.drop()
		return "", &Error{Temporary: true, Err: err}
	}
	if err := c.Mail(m.From); err != nil {
		return fail(err)
	}
	for _, to := range m.To {
		if err := c.Rcpt(to); err != nil {
			return fail(err)
		}
	}
	// DATA by hand, to keep the server's reply to the message.
	id, err := c.Text.Cmd("DATA")
	if err != nil {
		return fail(err)
	}
	c.Text.StartResponse(id)
	_, _, err = c.Text.ReadResponse(354)
	c.Text.EndResponse(id)
	if err != nil {
		return fail(err)
	}
	w := c.Text.DotWriter()
	if _, err := w.Write(m.Data); err != nil {
		w.Close()
		return fail(err)
	}
	if err := w.Close(); err != nil {
		return fail(err)
	}
	code, msg, err := c.Text.ReadResponse(250)
	if err != nil {
		return fail(err)
	}
	return strconv.Itoa(code) + " " + strings.ReplaceAll(msg, "\n", " "), nil
}

func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}

func code(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// Send delivers the messages over one connection, one transaction each,
// and reports each one. The error is for the connection as a whole: no
// server, no encryption on offer, a refused login. A message the server
// refuses is reported in its Delivery, and the others are still sent.
func Send(ctx context.Context, cfg Config, msgs []Message) (Security, []Delivery, error) {
	cl, err := Dial(ctx, cfg)
	if err != nil {
		return "", nil, err
	}
	defer cl.Close()
	var out []Delivery
	for _, m := range msgs {
		if ctx.Err() != nil {
			return cl.sec, out, ctx.Err()
		}
		_, err := cl.Send(ctx, m)
		var ce *ConnError
		if errors.As(err, &ce) {
			return cl.sec, out, err
		}
		out = append(out, Delivery{To: m.To, Err: err})
	}
	return cl.sec, out, nil
}
