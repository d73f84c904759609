package load

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

func TestSplitCaption(t *testing.T) {
	tests := []struct{ title, caption, credit string }{
		{"", "", ""},
		{"The Saturday clinic", "The Saturday clinic", ""},
		{"The Saturday clinic | Photo: Amina Osei / Lakeside Clinic", "The Saturday clinic", "Photo: Amina Osei / Lakeside Clinic"},
		{"| Photo: Amina Osei", "", "Photo: Amina Osei"},
		{"  |Photo: Amina Osei  ", "", "Photo: Amina Osei"},
		{"Before | after | Photo: A", "Before | after", "Photo: A"}, // the last " | " splits
		{"A|B", "A|B", ""}, // no spaces: part of the caption
		{"The clinic |", "The clinic", ""},
	}
	for _, tc := range tests {
		c, cr := splitCaption(tc.title)
		if c != tc.caption || cr != tc.credit {
			t.Errorf("splitCaption(%q) = %q, %q; want %q, %q", tc.title, c, cr, tc.caption, tc.credit)
		}
	}
}

func TestParseFocus(t *testing.T) {
	tests := []struct {
		in   any
		x, y float64
		bad  int
		err  string
	}{
		{"0.3,0.4", 0.3, 0.4, -1, ""},
		{" 0 , 1 ", 0, 1, -1, ""},
		{[]any{0.25, int64(1)}, 0.25, 1, -1, ""},
		{[]any{0, 0.5}, 0, 0.5, -1, ""},
		{"0.3", 0, 0, -1, "should be two numbers separated by a comma"},
		{"0.3,0.4,0.5", 0, 0, -1, "should be two numbers separated by a comma"},
		{"1.3,0.4", 0, 0, 0, "1.3 is not between 0 and 1 (the across position, as a fraction of the width)"},
		{"0.3,-0.1", 0, 0, 1, "-0.1 is not between 0 and 1 (the down position"},
		{"0.3,NaN", 0, 0, 1, "NaN is not between 0 and 1"},
		{"0x1p-2,0.5", 0, 0, 0, `"0x1p-2" is not a number`},
		{"a,0.5", 0, 0, 0, `"a" is not a number`},
		{[]any{0.5}, 0, 0, -1, "should be two numbers, not 1"},
		{[]any{0.5, "x"}, 0, 0, 1, `"x" is not a number`},
		{[]any{0.5, true}, 0, 0, 1, "true is not a number"},
		{0.5, 0, 0, -1, "should be two numbers such as 0.3,0.4, not 0.5"},
	}
	for _, tc := range tests {
		x, y, bad, err := parseFocus(tc.in)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("parseFocus(%#v): %v", tc.in, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || bad != tc.bad):
			t.Errorf("parseFocus(%#v) = %d, %v; want %d, %q", tc.in, bad, err, tc.bad, tc.err)
		case tc.err == "" && (x != tc.x || y != tc.y):
			t.Errorf("parseFocus(%#v) = %g,%g; want %g,%g", tc.in, x, y, tc.x, tc.y)
		}
	}
}

// TestStoryImageProblems: each problem with an image is an error at the
// line (and column) that cites it.
func TestStoryImageProblems(t *testing.T) {
	const f = "content/stories/x.md"
	const head = "---\ntitle: x\ndate: 2026-01-01\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"focus out of range, at its value",
			map[string]string{f: head + "image: /images/a.jpg\nimage_alt: A clinic\nimage_focus: 1.3,0.4\n---\n"},
			[]string{f + ":6:14: image_focus: 1.3 is not between 0 and 1 (the across position, as a fraction of the width) (write the focal point as two fractions"}},
		{"focus list, at the number",
			map[string]string{f: head + "image: /images/a.jpg\nimage_alt: A clinic\nimage_focus: [0.3, 4]\n---\n"},
			[]string{f + ":6:20: image_focus: 4 is not between 0 and 1 (the down position"}},
		{"focus in TOML, at its value",
			map[string]string{f: "+++\ntitle = \"x\"\ndate = 2026-01-01\nimage = \"/images/a.jpg\"\nimage_alt = \"A clinic\"\nimage_focus = \"0.3;0.4\"\n+++\n"},
			[]string{f + ":6:16: image_focus \"0.3;0.4\" should be two numbers separated by a comma"}},
		{"focus, at the number that is wrong",
			map[string]string{f: head + "image: /images/a.jpg\nimage_alt: A clinic\nimage_focus: \"0.3, 1.4\"\n---\n"},
			[]string{f + ":6:20: image_focus: 1.4 is not between 0 and 1"}},
		{"focus in TOML, at the number that is wrong",
			map[string]string{f: "+++\ntitle = \"x\"\ndate = 2026-01-01\nimage = \"/images/a.jpg\"\nimage_alt = \"A clinic\"\nimage_focus = \"x,0.4\"\n+++\n"},
			[]string{f + ":6:16: image_focus: \"x\" is not a number"}},
		{"focus in TOML as a list",
			map[string]string{f: "+++\ntitle = \"x\"\ndate = 2026-01-01\nimage = \"/images/a.jpg\"\nimage_alt = \"A clinic\"\nimage_focus = [0.3, 2]\n+++\n"},
			[]string{f + ":6:15: image_focus: 2 is not between 0 and 1 (the down position"}},
		{"a photo's name alone outside a bundle",
			map[string]string{f: head + "image: clinic.jpg\nimage_alt: A clinic\n---\n"},
			[]string{f + `:4:1: image "clinic.jpg" must be a path under static/ starting with / (such as /logos/x.svg) or an http(s) address (write /images/clinic.jpg for static/images/clinic.jpg; a name alone is a photo beside the story in a page bundle (content/stories/x/index.md with the photo beside it))`}},
		{"caption without an image",
			map[string]string{f: head + "image_caption: The clinic\n---\n"},
			[]string{f + ":4:1: `image_caption:` describes the story's image, but the story has no `image:`"}},
		{"cover without alt text says how to mark it decorative",
			map[string]string{f: head + "image: /images/a.jpg\n---\n"},
			[]string{f + ":4:1: the image has no image_alt text (describe what the picture shows for readers who cannot see it, in one sentence (`image_alt: Nurse giving a vaccine at the Saturday clinic`); if it adds nothing to the text, write `image_alt: decorative`)"}},
		{"cover missing",
			map[string]string{f: head + "image: /images/b.jpg\nimage_alt: A clinic\n---\n"},
			[]string{f + ":4:1: the image /images/b.jpg is not in static/ nor beside the story (looked for static/images/b.jpg) (put the photo at static/images/b.jpg"}},
		{"body image without alt text, at its '!'",
			map[string]string{f: head + "---\nFirst.\n\nThen ![](/images/a.jpg) and ![ ](/images/a.jpg).\n"},
			[]string{f + ":7:6: the image /images/a.jpg has no alt text (describe what the picture shows for readers who cannot see it: ![Nurse giving a vaccine at the Saturday clinic](/images/a.jpg); if it adds nothing to the text, write ![decorative](/images/a.jpg))",
				f + ":7:29: the image /images/a.jpg has no alt text"}},
		{"body image missing, relative to the page",
			map[string]string{f: head + "---\n![A map](map.png)\n"},
			[]string{f + ":5:1: the image map.png is not in static/ nor beside the story (looked for static/stories/x/map.png) (put the photo under static/images/ and write /images/map.png; or make the story a page bundle (a folder content/stories/x with the story as index.md and the photo beside it))"}},
		{"body image leaving the site",
			map[string]string{f: head + "---\n![A map](../../../etc/passwd)\n\n![A map](/images/../../x.jpg)\n"},
			[]string{f + ":5:1: the image address ../../../etc/passwd leaves the site", f + ":7:1: the image address /images/../../x.jpg leaves the site"}},
		{"body image is a folder",
			map[string]string{f: head + "---\n![A map](/images/)\n"},
			[]string{f + ":5:1: the image /images/ is a folder (static/images), not a file"}},
		{"body image is a link",
			map[string]string{f: head + "---\n![A map](/images/l.jpg)\n", "static/images/l.jpg": "link:/etc/passwd"},
			[]string{f + ":5:1: the image /images/l.jpg is a link (static/images/l.jpg), not a file", "static/images/l.jpg: is a link or special file"}},
		{"body image in a linked folder",
			map[string]string{f: head + "---\n![A map](/linked/a.jpg)\n", "static/linked": "link:/tmp"},
			[]string{f + ":5:1: the image /linked/a.jpg is inside static/linked/, which is a link, not a folder", "static/linked: is a link or special file"}},
		{"a Windows path is no address",
			map[string]string{f: head + "---\n![A map](C:\\photos\\a.jpg)\n"},
			[]string{f + `:5:1: the image address C:\photos\a.jpg is neither a file of the site nor an http(s) address`}},
		{"remote and dangerous images are left to the build",
			map[string]string{f: head + "---\n![A map](https://maps.example/a.png) ![x](javascript:alert(1))\n"},
			nil},
		{"images: in site.yaml",
			map[string]string{ConfigFile: "title: T\nimages:\n  quality: 120\n  max_megapixels: 2000\n  webp: false\n  qualty: 80\n"},
			[]string{ConfigFile + ":3:3: images.quality 120 should be between 1 and 100", ConfigFile + ":4:3: images.max_megapixels 2000 should be more than 0 and at most 1000",
				ConfigFile + ":6:3: unknown key \"qualty\" in `images` (did you mean \"quality\"?)"}},
		{"images: in site.yaml, negative",
			map[string]string{ConfigFile: "title: T\nimages: {quality: -1, max_megapixels: -0.5}\n"},
			[]string{ConfigFile + ":2:10: images.quality -1 should be between 1 and 100", ConfigFile + ":2:23: images.max_megapixels -0.5 should be more than 0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := siteFS(tc.files)
			fsys["static/images/a.jpg"] = &fstest.MapFile{Data: []byte("a photo")}
			for name, data := range tc.files {
				if target, ok := strings.CutPrefix(data, "link:"); ok {
					fsys[name] = &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
				}
			}
			_, errs := Dir(fsys)
			checkErrs(t, errs, tc.want...)
		})
	}
}

// TestStoryImages: what the loader makes of a cover and body images.
func TestStoryImages(t *testing.T) {
	const f = "content/stories/x.md"
	fsys := siteFS(map[string]string{
		f: "---\ntitle: x\ndate: 2026-01-01\nimage: /images/a.jpg\nimage_alt: \" Decorative \"\n" +
			"image_caption: The clinic on a Saturday\nimage_credit: \"Photo: Amina Osei / Lakeside Clinic\"\nimage_focus: [0.3, 0.4]\n---\n" +
			"Text.\n\n![Nurse &amp; family](../../images/a.jpg \"The door | Photo: A. Osei\")\n\n" +
			"* ![decorative](/images/a.jpg?v=2 \"| Photo: B\")\n\n![A *map*](https://maps.example/m.png)\n",
		"static/images/a.jpg": "a photo",
	})
	src, errs := Dir(fsys)
	checkErrs(t, errs)
	if len(src.Stories) != 1 {
		t.Fatalf("%d stories", len(src.Stories))
	}
	s := src.Stories[0]
	at := func(line, col int) diag.Pos { return diag.Pos{File: f, Line: line, Col: col} }
	wantCover := &model.Image{Pos: at(4, 1), Src: "/images/a.jpg", File: "static/images/a.jpg", Decorative: true,
		Caption: "The clinic on a Saturday", Credit: "Photo: Amina Osei / Lakeside Clinic", FocusX: 0.3, FocusY: 0.4}
	if !reflect.DeepEqual(s.Cover, wantCover) || s.ImageAlt != "" {
		t.Errorf("Cover = %+v (ImageAlt %q)\nwant %+v", s.Cover, s.ImageAlt, wantCover)
	}
	wantImages := []*model.Image{
		{Pos: at(12, 1), Src: "../../images/a.jpg", File: "static/images/a.jpg", Alt: "Nurse & family", Caption: "The door", Credit: "Photo: A. Osei", FocusX: 0.5, FocusY: 0.5},
		{Pos: at(14, 3), Src: "/images/a.jpg?v=2", File: "static/images/a.jpg", Decorative: true, Credit: "Photo: B", FocusX: 0.5, FocusY: 0.5},
		{Pos: at(16, 1), Src: "https://maps.example/m.png", Alt: "A map", FocusX: 0.5, FocusY: 0.5},
	}
	if len(s.Images) != len(wantImages) {
		t.Fatalf("%d images: %+v", len(s.Images), s.Images)
	}
	for i, w := range wantImages {
		if !reflect.DeepEqual(s.Images[i], w) {
			t.Errorf("image %d = %+v\nwant %+v", i, s.Images[i], w)
		}
	}
	// TOML: the focal point as a string, an alt text kept.
	fsys[f] = &fstest.MapFile{Data: []byte("+++\ntitle = \"x\"\ndate = 2026-01-01\nimage = \"/images/a.jpg\"\nimage_alt = \"A clinic\"\nimage_focus = \"0.25, 1\"\n+++\n")}
	src, errs = Dir(fsys)
	checkErrs(t, errs)
	if c := src.Stories[0].Cover; c == nil || c.Alt != "A clinic" || c.Decorative || c.FocusX != 0.25 || c.FocusY != 1 {
		t.Errorf("TOML cover = %+v", c)
	}
}

// TestPageBundles: a folder with an index.md is one story whose photos sit
// beside it; a folder of stories without one stays a folder of stories.
func TestPageBundles(t *testing.T) {
	const b = "content/stories/2026-03-14-saturday"
	fsys := siteFS(map[string]string{
		b + "/index.md":                "---\ntitle: Saturday\ndate: 2026-03-14\nimage: clinic.jpg\nimage_alt: The clinic\n---\n![The team](photos/team.jpg)\n\n![Logo](/images/a.jpg)\n",
		b + "/clinic.jpg":              "a clinic",
		b + "/photos/team.jpg":         "a team",
		b + "/notes.txt":               "not a story",
		"content/stories/2025/a.md":    "---\ntitle: A\ndate: 2025-01-01\n---\n",
		"content/stories/2025/b.md":    "---\ntitle: B\ndate: 2025-01-02\n---\n",
		"content/pages/about/index.md": "---\ntitle: About\n---\n![Our logo](logo.png)\n",
		"content/pages/about/logo.png": "a logo",
		"static/images/a.jpg":          "a photo",
	})
	src, errs := Dir(fsys)
	checkErrs(t, errs)
	got := map[string]*model.Story{}
	for _, s := range append(src.Stories, src.Pages...) {
		got[s.Slug] = s
	}
	if len(got) != 4 || got["a"] == nil || got["b"] == nil || got["a"].Bundle != "" {
		t.Fatalf("stories: %v", got)
	}
	sat := got["saturday"]
	if sat == nil || sat.Bundle != b || sat.Path != b+"/index.md" {
		t.Fatalf("saturday = %+v", sat)
	}
	if sat.Cover == nil || sat.Cover.File != b+"/clinic.jpg" {
		t.Errorf("cover = %+v", sat.Cover)
	}
	if len(sat.Images) != 2 || sat.Images[0].File != b+"/photos/team.jpg" || sat.Images[1].File != "static/images/a.jpg" {
		t.Errorf("images = %+v", sat.Images)
	}
	if want := "clinic.jpg " + digestOf("a clinic") + "\nphotos/team.jpg " + digestOf("a team") + "\n/images/a.jpg " + digestOf("a photo") + "\n"; sat.Pictures != want {
		t.Errorf("Pictures = %q, want %q", sat.Pictures, want)
	}
	if about := got["about"]; about == nil || about.Bundle != "content/pages/about" || len(about.Images) != 1 || about.Images[0].File != "content/pages/about/logo.png" {
		t.Errorf("about = %+v", about)
	}

	// Problems: another story in the bundle, an address that leaves it, a
	// photo that is not there.
	fsys[b+"/other.md"] = &fstest.MapFile{Data: []byte("---\ntitle: O\ndate: 2026-01-01\n---\n")}
	fsys[b+"/photos/index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: P\ndate: 2026-01-01\n---\n")}
	fsys[b+"/index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Saturday\ndate: 2026-03-14\nimage: ../2025/a.md\nimage_alt: The clinic\n---\n![The team](photos/gone.jpg)\n")}
	_, errs = Dir(fsys)
	checkErrs(t, errs,
		b+"/index.md:4:1: the image address ../2025/a.md leaves the story's folder "+b+"/",
		b+"/index.md:7:1: the image photos/gone.jpg is not in static/ nor beside the story (looked for "+b+"/photos/gone.jpg) (put gone.jpg in "+b+"/, beside index.md",
		b+"/other.md: a page bundle holds one story: "+b+"/ is the bundle of "+b+"/index.md, and this is another story in it",
		b+"/photos/index.md: a page bundle holds one story")
}
