package main

import (
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// peakHeapProfile writes the heap profile to name each time the live heap
// (as of the last garbage collection) has grown by a twentieth past the
// largest seen, so that the file left at exit shows what was live near the
// build's peak. A developer's tool: DRUMBEAT_MEMPROFILE=FILE.
func peakHeapProfile(name string) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var peak uint64
	for range time.Tick(20 * time.Millisecond) {
		metrics.Read(sample)
		live := sample[0].Value.Uint64()
		if live <= peak+peak/20 {
			continue
		}
		peak = live
		if f, err := os.Create(name); err == nil {
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
}
