package corpus

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/drumbeat/drumbeat/generator/internal/photogen"
)

// The corpus's photos: one of each scene, 4000 × 3000 at quality 88 as a
// phone writes (about 2.2 MB each), no metadata and no EXIF orientation, so
// that drumbeat and Hugo do the same work on them.
var photoScenes = []photogen.Scene{photogen.Clinic, photogen.ColdChain, photogen.Hall}

const basePhotoCount = 3

var photoAlt = map[photogen.Scene]string{
	photogen.Clinic:    "A small health post with a teal sign above its door, across a road, on a sunny morning.",
	photogen.ColdChain: "A white refrigerated van and two cool boxes on the verge of a country road lined with trees.",
	photogen.Hall:      "A village hall with a tiled roof under trees turning yellow and orange.",
}

var (
	photosOnce sync.Once
	photos     [][]byte
	// photoW and photoH are the photos' size (smaller in tests).
	photoW, photoH = 4000, 3000
)

// basePhotos paints the corpus's photos once per process (about ten
// seconds of processor time each).
func basePhotos() [][]byte {
	photosOnce.Do(func() {
		photos = make([][]byte, basePhotoCount)
		for i := range photos {
			img := photogen.Paint(photogen.Options{Scene: photoScenes[i%len(photoScenes)], Width: photoW, Height: photoH, Seed: uint64(100 + i)})
			b, err := photogen.JPEG(img, 88)
			if err != nil {
				panic(err) // encoding to memory does not fail
			}
			photos[i] = b
		}
	})
	return photos
}

// linkOrWrite makes dst the same file as src (a hard link: the Hugo site's
// photos take no more space), or writes data there when src does not exist
// or cannot be linked.
func linkOrWrite(src, dst string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	os.Remove(dst)
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	return os.WriteFile(dst, data, 0o644)
}
