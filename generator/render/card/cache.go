package card

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
)

// version changes whenever the drawing changes, so cached cards from an
// older drumbeat are not reused.
const version = "card-v1"

// Cache keeps drawn cards on disk, keyed by everything that is drawn on
// them. Drawing and compressing a 1200×630 PNG takes milliseconds; a site
// with thousands of stories would redraw the same cards on every build.
// A Cache with an empty Dir draws every time. It is safe for concurrent use.
type Cache struct {
	Dir string
}

// PNG returns the card, from the cache when it was drawn before.
func (c Cache) PNG(k Card) ([]byte, error) {
	if c.Dir == "" {
		return PNG(k)
	}
	key, err := json.Marshal(struct {
		V string
		C Card
	}{version, k})
	if err != nil {
		return PNG(k)
	}
	sum := sha256.Sum256(key)
	name := hex.EncodeToString(sum[:16]) + ".png"
	path := filepath.Join(c.Dir, name[:2], name)
	if b, err := os.ReadFile(path); err == nil && len(b) > 8 && string(b[1:4]) == "PNG" {
		return b, nil
	}
	b, err := PNG(k)
	if err != nil {
		return nil, err
	}
	// A cache that cannot be written is not an error: the card is drawn.
	if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
		if f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*"); err == nil {
			_, werr := f.Write(b)
			cerr := f.Close()
			if werr != nil || cerr != nil || os.Rename(f.Name(), path) != nil {
				os.Remove(f.Name())
			}
		}
	}
	return b, nil
}
