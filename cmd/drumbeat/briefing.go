package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/diag"
)

// paperSizes are the papers the briefing prints on, landscape.
var paperSizes = map[string]chromedp.PaperSize{
	"a4":     chromedp.PaperA4,
	"letter": chromedp.PaperLetter,
}

// installChromium says how to get the browser the PDF is printed with.
const installChromium = "drumbeat briefing --pdf needs Chromium: install it with " +
	"`sudo apt-get install chromium` (Debian/Ubuntu), `sudo dnf install chromium` (Fedora) " +
	"or `brew install --cask chromium` (macOS), or install Google Chrome; " +
	"if it is installed somewhere drumbeat does not look, set DRUMBEAT_CHROMIUM to its path"

func cmdBriefing(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f siteFlags
	var pdf, paper string
	fs := newFlagSet("briefing", "drumbeat briefing --pdf FILE [flags]: print the executive briefing (content/briefing.md) "+
		"to a PDF, six charts on two landscape pages, through headless Chromium.", stderr)
	f.register(fs, false)
	fs.StringVar(&pdf, "pdf", "", "write the briefing as a PDF to `FILE`")
	fs.StringVar(&paper, "paper", "a4", "the paper, printed landscape: a4 or letter")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if pdf == "" {
		fmt.Fprintln(stderr, "drumbeat briefing: say where to write the PDF with --pdf FILE")
		return exitUsage
	}
	size, ok := paperSizes[strings.ToLower(paper)]
	if !ok {
		fmt.Fprintf(stderr, "drumbeat briefing: --paper %q is not a4 or letter\n", paper)
		return exitUsage
	}
	opt, err := f.options()
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat briefing: %v\n", err)
		return exitUsage
	}
	exe, err := findChromium()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitInput
	}

	tmp, err := os.MkdirTemp("", "drumbeat-briefing-")
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat briefing: %v\n", err)
		return exitInput
	}
	defer os.RemoveAll(tmp)
	opt.Output = filepath.Join(tmp, "public")
	res, err := generator.Build(ctx, opt)
	printList(stderr, res.Warnings)
	if err != nil {
		if l := diag.AsList(err); l != nil {
			printList(stderr, l)
			fmt.Fprintf(stderr, "briefing stopped: %s\n", countProblems(l))
			return exitInput
		}
		fmt.Fprintf(stderr, "drumbeat briefing: %v\n", err)
		return exitInput
	}
	if res.Site.Briefing == nil {
		fmt.Fprintf(stderr, "drumbeat briefing: the site has no content/briefing.md (choose its six charts there; see docs/formats.md)\n")
		return exitInput
	}
	b, err := printBriefing(ctx, exe, opt.Output, filepath.Join(tmp, "chromium"), size)
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat briefing: printing with %s: %v\n", exe, err)
		return exitInput
	}
	if err := writeFileAtomic(pdf, b); err != nil {
		fmt.Fprintf(stderr, "drumbeat briefing: %v\n", err)
		return exitInput
	}
	pages := pdfPages(b)
	fmt.Fprintf(stdout, "wrote %s (%d %s, %s landscape)\n", pdf, pages, map[bool]string{true: "page", false: "pages"}[pages == 1], strings.ToUpper(paper[:1])+strings.ToLower(paper[1:]))
	return exitOK
}

// findChromium returns the path of Chromium or Chrome: DRUMBEAT_CHROMIUM
// when set, else the first browser found on the PATH or in the usual
// places, else an error that says how to install one.
func findChromium() (string, error) {
	if p := os.Getenv("DRUMBEAT_CHROMIUM"); p != "" {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			return "", fmt.Errorf("DRUMBEAT_CHROMIUM is %q, which is not a program; %s", p, installChromium)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	for _, p := range []string{
		"/Applications/Chromium.app/Contents/MacOS/Chromium",
		"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
	} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New(installChromium)
}

// printBriefing serves the built site in dir on 127.0.0.1 and prints its
// briefing page to a PDF with headless Chromium. The print stylesheet puts
// three charts on a page, drawn as static SVG.
func printBriefing(ctx context.Context, exe, dir, profile string, size chromedp.PaperSize) ([]byte, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		// The page is our own build on 127.0.0.1, and containers often
		// cannot give Chromium its sandbox.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()
	bctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	tctx, cancel3 := context.WithTimeout(bctx, 90*time.Second)
	defer cancel3()
	url := "http://" + ln.Addr().String() + "/briefing/"
	if err := chromedp.Do(tctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		return nil, err
	}
	const mm = 1 / 25.4
	return chromedp.Run(tctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(size),
		chromedp.PDFLandscape(),
		chromedp.PDFMargin(12*mm),
		chromedp.PDFPrintBackground(),
		chromedp.PDFOutlineAndTagged(),
	))
}

// writeFileAtomic writes b to name through a temporary file beside it, so a
// failed write never leaves half a PDF.
func writeFileAtomic(name string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

var pdfPageRE = regexp.MustCompile(`/Type\s*/Page[^s]`)

// pdfPages counts the pages of a PDF as Chromium writes it (page objects
// are not compressed into object streams).
func pdfPages(b []byte) int {
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return 0
	}
	return len(pdfPageRE.FindAll(b, -1))
}
