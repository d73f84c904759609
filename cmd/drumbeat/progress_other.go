//go:build !linux

package main

import "io"

func progress(w io.Writer) func() { return func() {} }

func isTerminal(w io.Writer) bool { return false }
