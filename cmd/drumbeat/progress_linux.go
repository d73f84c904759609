//go:build linux

package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// progress shows a spinner with the elapsed time on a terminal when a build
// takes longer than a second. It returns a function that stops it.
func progress(w io.Writer) func() {
	if !isTerminal(w) {
		return func() {}
	}
	f := w.(*os.File)
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		shown := false
		frames := `|/-\`
		for i := 0; ; i++ {
			select {
			case <-done:
				if shown {
					fmt.Fprint(f, "\r\033[K")
				}
				return
			case <-t.C:
				if time.Since(start) < time.Second {
					continue
				}
				shown = true
				fmt.Fprintf(f, "\r%c building… %s", frames[i%4], time.Since(start).Round(time.Second))
			}
		}
	}()
	return func() { close(done); <-finished }
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
