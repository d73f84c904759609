package write

import "os"

// exchangeByRename swaps a and b with two renames, for systems without an
// atomic exchange. There is a brief moment between them when b is missing.
func exchangeByRename(a, b string) error {
	old := a + ".old"
	if err := os.Rename(b, old); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(old, b)
		return err
	}
	return os.Rename(old, a)
}
