//go:build !linux

package write

func exchange(a, b string) error { return exchangeByRename(a, b) }
