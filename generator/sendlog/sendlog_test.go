package sendlog

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLogSurvivesACutLineAndKeepsDeliveries(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".drumbeat", "sent", "2026-11.jsonl")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for _, e := range []Entry{
		{Email: "Pat@Example.org", Status: Sending, MessageID: "a@x", Time: at},
		{Email: "Pat@Example.org", Status: Sent, MessageID: "a@x", Time: at, Reply: "250 ok"},
		{Email: "sam@example.org", Status: Sending, MessageID: "b@x", Time: at},
	} {
		if err := l.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	// A crash in the middle of a line.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"email":"kim@example.org","sta`)
	f.Close()

	l, err = Open(path)
	if err != nil {
		t.Fatalf("a cut last line: %v", err)
	}
	if e, ok := l.State.Has("pat@example.org"); !ok || e.Reply != "250 ok" {
		t.Errorf("pat: %+v %v", e, ok)
	}
	if e := l.State["sam@example.org"]; e.Status != Sending {
		t.Errorf("sam: %+v, want in flight", e)
	}
	if _, ok := l.State["kim@example.org"]; ok {
		t.Error("the cut line was read")
	}
	// A failed resend does not undo a delivery.
	l.Append(Entry{Email: "pat@example.org", Status: Failed, MessageID: "c@x", Time: at, Reply: "451 busy"})
	l.Append(Entry{Email: "kim@example.org", Status: Sent, MessageID: "d@x", Time: at})
	l.Close()
	st, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Has("PAT@example.org"); !ok {
		t.Error("a failed resend undid pat's delivery")
	}
	if _, ok := st.Has("kim@example.org"); !ok {
		t.Error("the line after the cut one was lost")
	}
}

func TestLogErrorsAndLock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "2026-11.jsonl")
	os.WriteFile(path, []byte(`{"email":"a@example.org","status":"sent","message_id":"x@y","time":"2026-11-27T09:00:00Z"}`+"\nnot json\n"), 0o644)
	if _, err := Read(path); err == nil || !strings.Contains(err.Error(), "2026-11.jsonl:2: not a send log entry") {
		t.Errorf("err %v", err)
	}
	if st, err := Read(filepath.Join(dir, "none.jsonl")); err != nil || len(st) != 0 {
		t.Errorf("a missing log: %v %v", st, err)
	}
	ok := filepath.Join(dir, "ok.jsonl")
	l, err := Open(ok)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := Open(ok); err == nil || !strings.Contains(err.Error(), "another drumbeat newsletter send") {
		t.Errorf("a second open of a held log: %v", err)
	}
}

// FuzzRead: any file reads without a panic, and an error names a line
// of the file.
func FuzzRead(f *testing.F) {
	f.Add(`{"email":"a@example.org","status":"sent","message_id":"x@y","time":"2026-11-27T09:00:00Z","reply":"250 ok"}` + "\n")
	f.Add(`{"email":"a@example.org","status":"sending"` + "\n" + `{"email`)
	f.Add("\n\n{}\n")
	f.Fuzz(func(t *testing.T, s string) {
		_, _, err := read(strings.NewReader(s), "log.jsonl")
		if err == nil {
			return
		}
		var line int
		if _, scanErr := fmt.Sscanf(err.Error(), "log.jsonl:%d:", &line); scanErr != nil || line < 1 || line > strings.Count(s, "\n") {
			t.Errorf("error %q names no line of the file", err)
		}
	})
}
