package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/drumbeat/drumbeat/generator/serve"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f siteFlags
	fs := newFlagSet("serve", "drumbeat serve [flags]: build the site into memory and serve it, rebuilding on every change. Open pages reload by themselves; a build error shows over the page. public/ is not touched.", stderr)
	f.register(fs, false)
	port := fs.Int("port", 1313, "the port to listen on (0: any free port)")
	bind := fs.String("bind", "127.0.0.1", "the address to listen on; 0.0.0.0 makes the site reachable from other machines")
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
	host := *bind
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil {
		fmt.Fprintf(stderr, "drumbeat serve: --bind %q is not an IP address (such as 127.0.0.1 or 0.0.0.0)\n", *bind)
		return exitUsage
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat serve: %v\n", err)
		if *port != 0 {
			fmt.Fprintf(stderr, "another program may be using port %d; choose another with --port\n", *port)
		}
		return exitInput
	}
	if !ip.IsLoopback() {
		fmt.Fprintf(stderr, "warning: listening on %s: the site, drafts included, is reachable from other machines on the network\n", ln.Addr())
	}
	var mu sync.Mutex // lines come from the build and watch goroutines
	logf := func(format string, args ...any) {
		mu.Lock()
		fmt.Fprintf(stdout, format+"\n", args...)
		mu.Unlock()
	}
	srv := serve.New(serve.Options{Build: opt, Logf: logf})
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "drumbeat serve: %v\n", err)
		return exitInput
	}
	logf("stopped")
	return exitOK
}
