package mailer

import (
	"errors"
	"fmt"
	"net/smtp"
	"slices"
	"strings"
)

// pickAuth chooses the login mechanism: the one cfg.Auth names, or PLAIN,
// or LOGIN when the server offers no PLAIN (Microsoft 365). offered is the
// server's AUTH line; safe says the connection is encrypted or local.
func pickAuth(cfg Config, offered string, safe bool) (smtp.Auth, error) {
	if !safe {
		return nil, errors.New("the connection is not encrypted")
	}
	mechs := strings.Fields(strings.ToUpper(offered))
	want := strings.ToUpper(cfg.Auth)
	if want == "" {
		switch {
		case slices.Contains(mechs, "PLAIN"):
			want = "PLAIN"
		case slices.Contains(mechs, "LOGIN"):
			want = "LOGIN"
		default:
			return nil, fmt.Errorf("the server offers %s, and drumbeat logs in with PLAIN, LOGIN or XOAUTH2 (set newsletter.smtp_auth)", offered)
		}
	} else if !slices.Contains(mechs, want) {
		return nil, fmt.Errorf("the server does not offer %s (it offers %s)", want, offered)
	}
	switch want {
	case "PLAIN":
		return smtp.PlainAuth("", cfg.Username, cfg.Password, cfg.Host), nil
	case "LOGIN":
		return loginAuth{cfg.Username, cfg.Password}, nil
	default:
		return xoauth2{cfg.Username, cfg.Password}, nil
	}
}

// loginAuth is the LOGIN mechanism: the server asks for the username and
// then the password.
type loginAuth struct{ user, pass string }

func (a loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }

func (a loginAuth) Next(from []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch p := strings.ToLower(strings.TrimSpace(string(from))); {
	case strings.HasPrefix(p, "user"):
		return []byte(a.user), nil
	case strings.HasPrefix(p, "pass"):
		return []byte(a.pass), nil
	default:
		return nil, fmt.Errorf("unexpected LOGIN prompt %q", from)
	}
}

// xoauth2 is Google's and Microsoft's XOAUTH2 mechanism: the username and
// an OAuth 2 access token in one message.
type xoauth2 struct{ user, token string }

func (a xoauth2) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + a.user + "\x01auth=Bearer " + a.token + "\x01\x01"), nil
}

func (a xoauth2) Next(from []byte, more bool) ([]byte, error) {
	if more {
		// The server sent a JSON error; an empty reply asks for the final status.
		return []byte{}, nil
	}
	return nil, nil
}
