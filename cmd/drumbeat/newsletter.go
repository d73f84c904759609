package main

import (
	"context"
	"fmt"
	"io"
)

func cmdNewsletter(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "drumbeat newsletter: not built yet")
	return exitUsage
}
