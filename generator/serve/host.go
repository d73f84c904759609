package serve

import (
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The dev server serves drafts and held stories, so it must not answer a
// web page that merely points its own name at this machine (DNS
// rebinding: a page on evil.example whose name is made to resolve to
// 127.0.0.1 would read the preview as its own origin). A browser always
// sends the name it used in the Host header, and a page cannot forge it;
// so a request is answered only when its Host names this server:
//
//   - localhost, 127.0.0.1 or [::1], or the address the connection came
//     in on (the LAN address when serving on 0.0.0.0), or a name or
//     address the server was told to answer to (Options.Hosts, set by
//     --bind: a name, or 0.0.0.0 itself);
//   - with the port the connection came in on. A Host without a port
//     means port 80, as in the browser: "localhost" alone is accepted
//     only by a server on port 80, where the browser leaves the port out.
//
// IP addresses are safe to accept: a rebinding page's Host is its own
// name, never a bare address. Every other Host gets refusedPage.

// hostAllowed reports whether r was sent to this server by one of its
// own names. It fails closed: a request whose local address is unknown
// is refused.
func (s *Server) hostAllowed(r *http.Request) bool {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	return s.hostOK(r.Host, local)
}

// hostOK reports whether hostport (a Host header, or the host of an
// Origin) names the server reached at local.
func (s *Server) hostOK(hostport string, local net.Addr) bool {
	localHost, localPort, err := net.SplitHostPort(local.String())
	if err != nil {
		return false
	}
	name, port := splitHost(hostport)
	if name == "" || port != localPort {
		return false
	}
	ip := net.ParseIP(name)
	switch {
	case ip != nil && ip.IsLoopback() && net.ParseIP(localHost).IsLoopback():
		return true
	case ip != nil && ip.Equal(net.ParseIP(localHost)):
		return true
	case name == "localhost":
		return true
	}
	for _, h := range s.opt.Hosts {
		h = strings.Trim(h, "[]")
		if ip != nil && ip.Equal(net.ParseIP(h)) || strings.EqualFold(name, h) {
			return true
		}
	}
	return false
}

// splitHost splits a Host header into its lower-cased name (without the
// brackets of an IPv6 address) and its port, "80" when there is none. It
// returns "" for a header that is not a host name or address.
func splitHost(hostport string) (name, port string) {
	hostport = strings.ToLower(hostport)
	name, port, err := net.SplitHostPort(hostport)
	if err != nil {
		// No port: "localhost", "[::1]", "127.0.0.1".
		name, port = strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]"), "80"
		if strings.Contains(name, ":") && net.ParseIP(name) == nil {
			return "", ""
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 || strconv.Itoa(n) != port {
		return "", ""
	}
	if name == "" || strings.ContainsAny(name, "/\\@ \t") {
		return "", ""
	}
	return name, port
}

// sameOrigin reports whether a request for the reload stream comes from
// one of the server's own pages: a browser says so in Sec-Fetch-Site, and
// sends Origin on cross-origin requests. Clients that send neither (curl)
// have passed the Host check already.
func (s *Server) sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "http" {
		return false
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	return ok && s.hostOK(u.Host, local)
}

// refuse answers a request sent to a name the server does not answer to,
// with a page that says why and what to do.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, why string) {
	local := ""
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		local = URL(a)
	}
	body := fmt.Sprintf(`<!doctype html><html lang=en><head><meta charset=utf-8><title>Not this address</title></head><body>`+
		`<h1>drumbeat serve does not answer at this address</h1>`+
		`<p>%s</p>`+
		`<p>The preview holds drafts and stories not yet approved, so the dev server answers only when it is opened by its own address%s (or localhost, 127.0.0.1, [::1] on its port). This stops a web page that points its own name at your computer from reading the preview.</p>`+
		`<p>To open the preview under another name or from another machine, start it with <code>drumbeat serve --bind NAME</code> (the name or address you open), and open <code>http://NAME:PORT/</code>.</p>`+
		`</body></html>`,
		html.EscapeString(why), html.EscapeString(strings.TrimSuffix(" "+local, " ")))
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusForbidden)
	if r.Method != http.MethodHead {
		w.Write([]byte(body))
	}
}
