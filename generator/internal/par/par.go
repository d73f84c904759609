// Package par runs independent pieces of work on every processor.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Do calls fn(0) … fn(n-1), on up to GOMAXPROCS goroutines, and returns when
// all have returned. Each goroutine takes the next index as it finishes one,
// so uneven pieces of work still keep every processor busy.
func Do(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}
