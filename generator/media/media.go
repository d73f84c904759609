// Package media is the build's image stage, between the model and the
// render: it finds every picture the published site shows (story and page
// covers, images in their bodies, partner logos for the email and the social
// cards), has generator/images make the sizes the theme needs, and hands the
// render a Set that says, for each model.Image, which files to write and how
// to refer to them. Problems with an image are reported at the line that
// cites it.
package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/images"
	"github.com/drumbeat/drumbeat/generator/internal/par"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/slug"
)

// Sizes are the sizes a theme shows pictures at: the theme's side of the
// contract (see the README's "Themes"). Widths are in image pixels: the
// largest is the largest size a theme shows the picture at, at 2×.
type Sizes struct {
	// Column: covers and body images, in the story's column.
	Column      []int
	ColumnSizes string // the img sizes attribute
	// Card: the picture on a story's card in lists, cropped to CardAspect.
	Card       []int
	CardAspect float64
	CardSizes  string
	// Email: one JPEG per cover for the newsletter, EmailWidth wide (twice
	// the 600 px column... less its padding), cropped to EmailAspect, at
	// most EmailMaxBytes.
	EmailWidth    int
	EmailAspect   float64
	EmailMaxBytes int64
	// Social: the part of the 1200 × 630 social card the photo fills.
	SocialWidth, SocialHeight int
	// LogoHeight is the height of a partner logo rasterised for the email
	// and the social card, in image pixels.
	LogoHeight int
}

// DefaultSizes are the default theme's: a 44rem (704 px) story column, cards
// at most about 560 px wide, a 600 px email.
var DefaultSizes = Sizes{
	Column:        []int{480, 800, 1200, 1408},
	ColumnSizes:   "(max-width: 46.5rem) calc(100vw - 2.5rem), 44rem",
	Card:          []int{400, 800, 1120},
	CardAspect:    1200.0 / 630.0,
	CardSizes:     "(max-width: 40rem) calc(100vw - 2.5rem), (max-width: 72rem) calc(50vw - 2.5rem), 23rem",
	EmailWidth:    1136,
	EmailAspect:   3.0 / 2.0,
	EmailMaxBytes: 200_000,
	SocialWidth:   440,
	SocialHeight:  630,
	LogoHeight:    96,
}

// Variant is one file made from a picture.
type Variant struct {
	Path          string // its address on the site: /media/clinic-800-3f2a9c01de.jpg
	Width, Height int
	Format        images.Format
}

// Picture is what the render needs to show one model.Image.
type Picture struct {
	Image *model.Image
	// JPEG holds the column widths, ascending; WebP those of them for
	// which a WebP is smaller (the same widths, or none).
	JPEG, WebP []Variant
	// Cards, CardsWebP: the card crop (covers only).
	Cards, CardsWebP []Variant
	// Email is the newsletter's image (covers only; nil otherwise).
	Email *Variant
	// Social is the crop the social card draws (covers only), an output
	// of the cache to decode.
	Social *images.Output
}

// Largest returns the widest JPEG: its size is the picture's intrinsic
// size (the img element's width and height).
func (p *Picture) Largest() Variant { return p.JPEG[len(p.JPEG)-1] }

// Set is the pictures of one build.
type Set struct {
	proc  *images.Processor
	pics  map[*model.Image]*Picture
	logos map[string]*Logo // partner id → logo
	mark  *Logo            // the site's logo, for the kit cards (not a file of the site)
	mu    sync.Mutex       // guards files while the workers add to it
	files map[string]images.Output
	// heldOnly are the files only held stories show (see Hold).
	heldOnly map[string]bool
}

// Logo is a partner's logo as a PNG, for the email and the social card.
type Logo struct {
	Variant
	Output images.Output
}

// Picture returns the picture made for img; nil when none was (the image
// is not a file of the site, or the build did not show it).
func (s *Set) Picture(img *model.Image) *Picture {
	if s == nil || img == nil {
		return nil
	}
	return s.pics[img]
}

// Mark returns the PNG of the site's logo (Options.Mark), or nil. It is
// no file of the site: the kit cards draw it.
func (s *Set) Mark() *Logo {
	if s == nil {
		return nil
	}
	return s.mark
}

// Logo returns the PNG of a partner's logo, or nil.
func (s *Set) Logo(partner string) *Logo {
	if s == nil {
		return nil
	}
	return s.logos[partner]
}

// File is an output file and where its bytes are.
type File struct {
	Path   string // relative to the output folder: media/clinic-800-3f2a9c01de.jpg
	Output images.Output
}

// Files returns the files to write, sorted by path.
func (s *Set) Files() []File {
	if s == nil {
		return nil
	}
	out := make([]File, 0, len(s.files))
	for p, o := range s.files {
		out = append(out, File{p, o})
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// Processor returns the processor that made the set (for Derive and FS).
func (s *Set) Processor() *images.Processor {
	if s == nil {
		return nil
	}
	return s.proc
}

// NotCopied are the files under static/ that the render must not copy as
// they are: the photos the site shows processed (no original leaves the
// build), and the pictures that only held stories show (an embargoed
// story's photo is not published before the story).
func (s *Set) NotCopied() map[string]bool {
	out := map[string]bool{}
	if s == nil {
		return out
	}
	for img := range s.pics {
		out[img.File] = true
	}
	for f := range s.heldOnly {
		out[f] = true
	}
	return out
}

// Hold records the pictures of stories the build does not show; those
// that no shown story shows too are not copied from static/.
func (s *Set) Hold(held []*model.Story, shown []*model.Story) {
	if s == nil {
		return
	}
	seen := map[string]bool{}
	for _, st := range shown {
		for _, img := range append([]*model.Image{st.Cover}, st.Images...) {
			if img != nil && img.File != "" {
				seen[img.File] = true
			}
		}
	}
	s.heldOnly = map[string]bool{}
	for _, st := range held {
		for _, img := range append([]*model.Image{st.Cover}, st.Images...) {
			if img != nil && img.File != "" && !seen[img.File] {
				s.heldOnly[img.File] = true
			}
		}
	}
}

// Options of Build.
type Options struct {
	Sizes   Sizes
	Quality int
	WebP    bool
	// Mark is the site's logo (site.yaml logo, a path under static/),
	// rasterised as partner logos are for the kit cards; "" for none.
	Mark string
}

// OptionsFor returns the options site.yaml's images: block chooses.
func OptionsFor(c model.ImageConf) Options {
	o := Options{Sizes: DefaultSizes, Quality: c.Quality, WebP: c.WebP == nil || *c.WebP}
	return o
}

// LimitsFor returns the limits site.yaml's images: block chooses.
func LimitsFor(c model.ImageConf) images.Limits {
	l := images.Limits{MaxPixels: images.DefaultMaxPixels, MaxBytes: images.DefaultMaxBytes}
	if c.MaxMegapixels > 0 {
		l.MaxPixels = int64(c.MaxMegapixels * 1e6)
	}
	return l
}

// task is one source file with everything made of it.
type task struct {
	file  string
	cover bool // also cards, email and social
	imgs  []*model.Image
	pos   diag.Pos // the first line that cites it
	src   string
}

// Build makes the pictures of stories (their covers and body images) and
// the PNG logos of partners, with proc, reading the site's files from fsys.
func Build(ctx context.Context, fsys fs.FS, proc *images.Processor, stories []*model.Story, partners []*model.Partner, opt Options) (*Set, diag.List) {
	s := &Set{proc: proc, pics: map[*model.Image]*Picture{}, logos: map[string]*Logo{}, files: map[string]images.Output{}}
	byFile := map[string]*task{}
	var tasks []*task
	add := func(img *model.Image, cover bool) {
		// An SVG illustration is drawn at any size by the browser and
		// carries no photo metadata: it is shown as it is.
		if img == nil || img.File == "" || strings.EqualFold(path.Ext(img.File), ".svg") {
			return
		}
		t := byFile[img.File]
		if t == nil {
			t = &task{file: img.File, pos: img.Pos, src: img.Src}
			byFile[img.File] = t
			tasks = append(tasks, t)
		}
		t.cover = t.cover || cover
		t.imgs = append(t.imgs, img)
	}
	for _, st := range stories {
		add(st.Cover, true)
		for _, img := range st.Images {
			add(img, false)
		}
	}
	var errs diag.List
	var mu sync.Mutex
	report := func(pos diag.Pos, src, file string, err error) {
		mu.Lock()
		defer mu.Unlock()
		var ie *images.Error
		if errors.As(err, &ie) {
			e := errs.Errorf(pos, "the image %s (%s) %s", src, file, ie.Msg)
			if ie.Hint != "" {
				e.WithHint("%s", ie.Hint)
			}
			return
		}
		errs.Errorf(pos, "could not process the image %s (%s): %v", src, file, err)
	}
	results := make([]*Picture, len(tasks))
	par.Do(len(tasks), func(i int) {
		if ctx.Err() != nil {
			return
		}
		t := tasks[i]
		pic, err := s.make(fsys, t, opt)
		if err != nil {
			report(t.pos, t.src, t.file, err)
			return
		}
		results[i] = pic
	})
	if err := ctx.Err(); err != nil {
		errs.Errorf(diag.Pos{}, "stopped: %v", err)
		return nil, errs
	}
	for i, t := range tasks {
		if results[i] == nil {
			continue
		}
		for _, img := range t.imgs {
			p := *results[i]
			p.Image = img
			s.pics[img] = &p
		}
	}
	s.logosOf(fsys, partners, opt, &errs)
	s.markOf(fsys, opt)
	errs.Sort()
	return s, errs
}

// make processes one source: the column widths, and for a cover the card
// crop, the email image and the social card's crop.
func (s *Set) make(fsys fs.FS, t *task, opt Options) (*Picture, error) {
	digest, err := s.proc.Digest(fsys, t.file)
	if err != nil {
		return nil, err
	}
	z := opt.Sizes
	focus := images.Focus{X: 0.5, Y: 0.5}
	if len(t.imgs) > 0 && t.imgs[0] != nil {
		focus = images.Focus{X: t.imgs[0].FocusX, Y: t.imgs[0].FocusY}
	}
	jobs := []images.Job{{Widths: z.Column, Quality: opt.Quality, WebP: opt.WebP}}
	if t.cover {
		jobs = append(jobs,
			images.Job{Widths: z.Card, Aspect: z.CardAspect, Focus: focus, Quality: opt.Quality, WebP: opt.WebP},
			images.Job{Widths: []int{z.EmailWidth}, Aspect: z.EmailAspect, Focus: focus, Quality: opt.Quality, MaxBytes: z.EmailMaxBytes},
			images.Job{Widths: []int{z.SocialWidth}, Aspect: float64(z.SocialWidth) / float64(z.SocialHeight), Focus: focus, Quality: 90})
	}
	res, err := s.proc.ProcessAll(fsys, t.file, digest, jobs)
	if err != nil {
		return nil, err
	}
	base := baseName(t.file)
	pic := &Picture{}
	pic.JPEG, pic.WebP = s.variants(base, res[0].Outputs)
	if len(pic.JPEG) == 0 {
		return nil, fmt.Errorf("no image was made")
	}
	if t.cover {
		pic.Cards, pic.CardsWebP = s.variants(base+"-card", res[1].Outputs)
		if e, _ := s.variants(base+"-email", res[2].Outputs); len(e) > 0 {
			pic.Email = &e[len(e)-1]
		}
		for _, o := range res[3].Outputs {
			if o.Format == images.JPEG {
				o := o
				pic.Social = &o
			}
		}
	}
	return pic, nil
}

// variants names the outputs and records them as files of the site.
func (s *Set) variants(base string, outs []images.Output) (jpeg, webp []Variant) {
	for _, o := range outs {
		ext := string(o.Format)
		if o.Format == images.JPEG {
			ext = "jpg"
		}
		p := "media/" + base + "-" + strconv.Itoa(o.Width) + "-" + o.Hash + "." + ext
		v := Variant{Path: "/" + p, Width: o.Width, Height: o.Height, Format: o.Format}
		s.add(p, o)
		if o.Format == images.WebP {
			webp = append(webp, v)
		} else {
			jpeg = append(jpeg, v)
		}
	}
	return jpeg, webp
}

func (s *Set) add(p string, o images.Output) {
	s.mu.Lock()
	s.files[p] = o
	s.mu.Unlock()
}

// logosOf rasterises the partners' logos (SVG or a picture) to PNG at
// LogoHeight, for the email and the social cards. A logo that cannot be
// drawn is a warning: the pages still show the original.
func (s *Set) logosOf(fsys fs.FS, partners []*model.Partner, opt Options, errs *diag.List) {
	type res struct {
		out images.Output
		err error
	}
	out := make([]res, len(partners))
	par.Do(len(partners), func(i int) {
		p := partners[i]
		if p.Logo == "" || !strings.HasPrefix(p.Logo, "/") || strings.HasPrefix(p.Logo, "//") {
			return
		}
		name := path.Join("static", path.Clean(p.Logo))
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return // the loader reports a missing logo
		}
		h := opt.Sizes.LogoHeight
		sum := sha256.Sum256(data)
		key := "logo-v1\x00" + hex.EncodeToString(sum[:]) + "\x00" + strconv.Itoa(h) // v1: change when LogoPNG draws differently
		o, err := s.proc.Derive(key, "png", func() ([]byte, error) { return images.LogoPNG(data, h) })
		out[i] = res{out: o, err: err}
	})
	for i, p := range partners {
		r := out[i]
		if r.err != nil {
			var ie *images.Error
			msg := r.err.Error()
			if errors.As(r.err, &ie) {
				msg = ie.Msg
			}
			errs.Warnf(p.Pos, "the logo %s of %s cannot be drawn for the email and social cards: %s", p.Logo, p.Name, msg).
				WithHint("give a PNG or JPEG logo, or an SVG without scripts, links to other files or embedded fonts")
			continue
		}
		if r.out.Hash == "" {
			continue
		}
		rel := "media/logo-" + p.ID + "-" + r.out.Hash + ".png"
		s.files[rel] = r.out
		s.logos[p.ID] = &Logo{Variant: Variant{Path: "/" + rel, Width: r.out.Width, Height: r.out.Height, Format: images.PNG}, Output: r.out}
	}
}

// markOf rasterises the site's logo as logosOf does a partner's. One that
// cannot be drawn is left out: the kit cards then write the site's name.
func (s *Set) markOf(fsys fs.FS, opt Options) {
	if opt.Mark == "" || !strings.HasPrefix(opt.Mark, "/") || strings.HasPrefix(opt.Mark, "//") {
		return
	}
	data, err := fs.ReadFile(fsys, path.Join("static", path.Clean(opt.Mark)))
	if err != nil {
		return
	}
	h := opt.Sizes.LogoHeight
	sum := sha256.Sum256(data)
	key := "logo-v1\x00" + hex.EncodeToString(sum[:]) + "\x00" + strconv.Itoa(h) // as logosOf's: the same file is drawn once
	o, err := s.proc.Derive(key, "png", func() ([]byte, error) { return images.LogoPNG(data, h) })
	if err != nil || o.Hash == "" {
		return
	}
	s.mark = &Logo{Variant: Variant{Width: o.Width, Height: o.Height, Format: images.PNG}, Output: o}
}

// baseName is the source's name as a web-safe word: "IMG_2041.JPG" is
// "img-2041"; a bundle's index photo keeps its folder's name.
func baseName(file string) string {
	b := strings.TrimSuffix(path.Base(file), path.Ext(file))
	// ASCII: a processed picture's name is a plain file name on every
	// system and in every mail client (Café.jpg is cafe-….jpg).
	if out := slug.Cut(slug.ASCII(b), 40); out != "" {
		return out
	}
	return "image"
}

// Rebind lets an edited story (fresh, read again by drumbeat serve) take
// the place of old with the pictures made for old, and reports whether it
// could: when both show the same files, in the same order, with the same
// focal points (alt text, caption and credit are read when the page is
// rendered, so they may change). Otherwise the pictures must be made again
// (a full build, from the cache when the files did not change).
func (s *Set) Rebind(old, fresh *model.Story) bool {
	oi, fi := storyImages(old), storyImages(fresh)
	if len(oi) != len(fi) {
		return false
	}
	for i := range oi {
		a, b := oi[i], fi[i]
		if (a == nil) != (b == nil) {
			return false
		}
		if a == nil {
			continue
		}
		if a.File != b.File || a.FocusX != b.FocusX || a.FocusY != b.FocusY {
			return false
		}
	}
	if s == nil {
		return true
	}
	for i, a := range oi {
		if a == nil {
			continue
		}
		if p := s.pics[a]; p != nil {
			c := *p
			c.Image = fi[i]
			s.pics[fi[i]] = &c
		}
	}
	return true
}

// storyImages returns a story's cover (or nil) and its body images.
func storyImages(st *model.Story) []*model.Image {
	return append([]*model.Image{st.Cover}, st.Images...)
}
