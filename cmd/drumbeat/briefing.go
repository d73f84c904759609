package main

import (
	"context"
	"fmt"
	"io"
)

func cmdBriefing(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "drumbeat briefing: not built yet")
	return exitUsage
}
