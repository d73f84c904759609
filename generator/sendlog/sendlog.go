// Package sendlog keeps the record of a newsletter issue's delivery: one
// JSON line per event, appended and flushed to the disk (fsync) before the
// sender goes on, so a crash or a kill loses at most the line being
// written. A sender reads it to skip everyone who already has the issue.
package sendlog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Status is what an Entry records.
type Status string

// The events of a delivery.
const (
	// Sending is written before a message is handed to the server: a last
	// line Sending for an address means the sender stopped while the
	// server had the message, and it may or may not have been delivered.
	Sending Status = "sending"
	Sent    Status = "sent"   // the server accepted the message
	Failed  Status = "failed" // the server refused it, or it could not be sent
)

// Entry is one line of the log.
type Entry struct {
	Email     string    `json:"email"` // the bare address
	Status    Status    `json:"status"`
	MessageID string    `json:"message_id"`
	Time      time.Time `json:"time"`
	Reply     string    `json:"reply,omitempty"` // the server's reply, or what went wrong
}

// State is what a log says about each address, by its lower-case form:
// the last line for it.
type State map[string]Entry

// Has reports whether the issue was accepted for email.
func (s State) Has(email string) (Entry, bool) {
	e, ok := s[Key(email)]
	if !ok {
		return Entry{}, false
	}
	// An address sent once stays sent, whatever a later resend did.
	return e, e.Status == Sent
}

// Key is the form addresses are compared in: lower case.
func Key(email string) string { return strings.ToLower(email) }

// Read reads the log at path; a missing log is empty. An incomplete last
// line (a write cut short) is ignored; any other line that is not an entry
// is an error at its line.
func Read(path string) (State, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, _, err := read(f, path)
	return st, err
}

// read reads a log and returns the length of its complete lines.
func read(r io.Reader, path string) (State, int64, error) {
	st := State{}
	br := bufio.NewReader(r)
	var size int64
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			// No newline: the write of this line was cut short.
			return st, size, nil
		}
		if err != nil {
			return nil, 0, err
		}
		size += int64(len(line))
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var e Entry
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil || e.Email == "" {
			if err == nil {
				err = errors.New("no email")
			}
			return nil, 0, fmt.Errorf("%s:%d: not a send log entry: %v (the log is written by drumbeat newsletter send; do not edit it by hand)", path, n, err)
		}
		k := Key(e.Email)
		if prev, ok := st[k]; ok && prev.Status == Sent && e.Status != Sent {
			// A later failed resend does not undo an earlier delivery.
			continue
		}
		st[k] = e
	}
}

// Log is a send log open for appending. One process at a time holds it.
type Log struct {
	f    *os.File
	path string
	// State is the log as it was when opened, and is kept up to date.
	State State
}

// Open opens the log at path for appending, creating it and its folder,
// and locks it; a log another process holds is an error naming it.
func Open(path string) (*Log, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: another drumbeat newsletter send of this issue is running (%v); wait for it to end", path, err)
	}
	st, size, err := read(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	// A line cut short by a crash goes, so the next starts afresh. Had it
	// recorded a delivery, the address's "sending" line before it still
	// marks the message as in flight.
	if fi, err := f.Stat(); err == nil && fi.Size() > size {
		if err := f.Truncate(size); err != nil {
			f.Close()
			return nil, err
		}
	}
	return &Log{f: f, path: path, State: st}, nil
}

// Path returns where the log is.
func (l *Log) Path() string { return l.path }

// Append writes e as one line and flushes it to the disk before returning.
func (l *Log) Append(e Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := l.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write the send log %s: %w", l.path, err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("write the send log %s: %w", l.path, err)
	}
	k := Key(e.Email)
	if prev, ok := l.State[k]; !ok || prev.Status != Sent || e.Status == Sent {
		l.State[k] = e
	}
	return nil
}

// Close closes the log and releases it.
func (l *Log) Close() error { return l.f.Close() }
