package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/drumbeat/drumbeat/generator/serve"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f siteFlags
	fs := newFlagSet("serve", "drumbeat serve [flags]: build the site into memory and serve it, rebuilding on every change. Open pages reload by themselves; a build error shows over the page. public/ is not touched.", stderr)
	f.register(fs, false)
	port := fs.Int("port", 1313, "the port to listen on (0: any free port)")
	bind := fs.String("bind", "127.0.0.1", "the address or host name to listen on, and to answer to; 0.0.0.0 makes the site reachable from other machines by this machine's address")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	opt, err := f.options()
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat serve: %v\n", err)
		return exitUsage
	}
	if f.now == "" && os.Getenv("SOURCE_DATE_EPOCH") == "" {
		opt.Now = time.Time{} // today, taken again at each full build
	}
	if *port < 0 || *port > 65535 {
		fmt.Fprintf(stderr, "drumbeat serve: --port %d is not a port (0 to 65535)\n", *port)
		return exitUsage
	}
	host := strings.Trim(*bind, "[]")
	if host == "localhost" {
		host = "127.0.0.1"
	}
	if host == "" || strings.ContainsAny(host, "/@ \t") {
		fmt.Fprintf(stderr, "drumbeat serve: --bind %q is not an address or host name (such as 127.0.0.1, 0.0.0.0 or laptop.local)\n", *bind)
		return exitUsage
	}
	// A name is looked up once here; the server answers to it and to the
	// address it listens on (see serve.Options.Hosts).
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat serve: %v\n", err)
		var dnsErr *net.DNSError
		switch {
		case errors.As(err, &dnsErr):
			fmt.Fprintf(stderr, "--bind %q is not an address of this machine or a name that leads to one\n", *bind)
		case *port != 0:
			fmt.Fprintf(stderr, "another program may be using port %d; choose another with --port\n", *port)
		}
		return exitInput
	}
	if a, ok := ln.Addr().(*net.TCPAddr); ok && !a.IP.IsLoopback() {
		fmt.Fprintf(stderr, "warning: listening on %s: the site, drafts included, is reachable from other machines on the network\n", ln.Addr())
	}
	hosts := []string{strings.ToLower(host)}
	var mu sync.Mutex // lines come from the build and watch goroutines
	logf := func(format string, args ...any) {
		mu.Lock()
		fmt.Fprintf(stdout, format+"\n", args...)
		mu.Unlock()
	}
	srv := serve.New(serve.Options{Build: opt, Hosts: hosts, Logf: logf})
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "drumbeat serve: %v\n", err)
		return exitInput
	}
	logf("stopped")
	return exitOK
}
