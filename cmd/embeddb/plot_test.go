package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const plotSetup = `CREATE TABLE pets (dim = 3);
INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]), ('emu', [0.9, -0.1, 0.05]),
  ('owl', [0.5, 0.5, 0.1]), ('ant', [-0.3, 0.8, 0.2]);
`

// TestDotPlot_File: without a terminal .plot writes the file and says where.
func TestDotPlot_File(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	db := filepath.Join(dir, "p.db")
	r := runMain(t, plotSetup+"SELECT NEAREST('cat', 3) FROM pets;\n.plot\n.plot map.svg method=pca title=pets\n.plot u.svg method=umap n_neighbors=3\n", db)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "wrote plot-cat.png\n") || !strings.Contains(r.stdout, "wrote map.svg\n") || !strings.Contains(r.stdout, "wrote u.svg\n") {
		t.Fatalf("stdout does not say where the files went:\n%s", r.stdout)
	}
	f, err := os.Open(filepath.Join(dir, "plot-cat.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("plot-cat.png: %v", err)
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "map.svg"))
	for _, w := range []string{">cat</text>", ">dog</text>", ">pets</text>"} {
		if !strings.Contains(string(svg), w) {
			t.Errorf("map.svg lacks %s", w)
		}
	}
}

func TestDotPlot_Errors(t *testing.T) {
	t.Chdir(t.TempDir())
	r := runMain(t, plotSetup+".plot\n", "p.db")
	if !strings.Contains(r.stderr, "no NEAREST query to plot yet") {
		t.Errorf(".plot before NEAREST: stderr %q", r.stderr)
	}
	r = runMain(t, "SELECT NEAREST('cat', 2) FROM pets;\n.plot x.png perplexity\n", "p.db")
	if !strings.Contains(r.stderr, "options are name=value") {
		t.Errorf(".plot with a bad option: stderr %q", r.stderr)
	}
	r = runMain(t, "SELECT NEAREST('cat', 2) FROM pets;\n.plot x.png method=mds\n", "p.db")
	if !strings.Contains(r.stderr, "method must be 'pca', 'tsne' or 'umap'") {
		t.Errorf(".plot method=mds: stderr %q", r.stderr)
	}
}

// TestREPL_PlotInline: on a kitty terminal .plot shows the PNG inline.
func TestREPL_PlotInline(t *testing.T) {
	dir, cfg := t.TempDir(), t.TempDir()
	dbPath := filepath.Join(dir, "p.db")
	if r := runMain(t, plotSetup, dbPath); r.code != 0 {
		t.Fatal(r.stderr)
	}
	sh := startShellEnv(t, dir, cfg, []string{"TERM=xterm-kitty"}, dbPath)
	sh.expect(`embeddb> $`)
	sh.send("SELECT NEAREST('cat', 3) FROM pets;\r")
	sh.expect(`\| dog +\|`)
	sh.send(".plot\r")
	sh.expect(`\x1b_Gm=0;[A-Za-z0-9+/=]*\x1b\\`)
	sh.expect(`embeddb> $`)
	var payload string
	for _, c := range regexp.MustCompile(`\x1b_G(?:a=T,f=100,)?m=[01];([A-Za-z0-9+/=]*)\x1b\\`).FindAllStringSubmatch(sh.screen(0), -1) {
		payload += c[1]
	}
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		t.Fatalf("the kitty payload is not base64: %v", err)
	}
	if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
		t.Errorf("the kitty payload is not a PNG: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("an inline .plot left files in the directory: %v", entries)
	}
}

func TestDetectImages(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want imageProtocol
	}{
		{map[string]string{"TERM": "xterm-kitty"}, imagesKitty},
		{map[string]string{"TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"}, imagesKitty},
		{map[string]string{"TERM_PROGRAM": "iTerm.app"}, imagesITerm},
		{map[string]string{"TERM_PROGRAM": "WezTerm"}, imagesITerm},
		{map[string]string{"TERM": "foot"}, imagesSixel},
		{map[string]string{"TERM": "mlterm"}, imagesSixel},
		{map[string]string{"TERM": "xterm-256color"}, imagesNone},
		{map[string]string{"TERM": "xterm-kitty", "TMUX": "/tmp/tmux"}, imagesNone},
		{map[string]string{"TERM": "xterm", "EMBEDDB_IMAGES": "sixel"}, imagesSixel},
		{map[string]string{"TERM": "xterm-kitty", "EMBEDDB_IMAGES": "none"}, imagesNone},
	}
	for _, tc := range tests {
		if got := detectImages(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("detectImages(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestWriteImage(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 13))
	for y := 0; y < 13; y++ {
		for x := 0; x < 40; x++ {
			img.Set(x, y, color.White)
			if x < 10 {
				img.Set(x, y, color.RGBA{0xff, 0, 0, 0xff})
			}
		}
	}
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, img)
	// A big payload makes kitty's chunks.
	big := bytes.Repeat(pngBuf.Bytes(), 100)
	var out bytes.Buffer
	if err := writeImage(&out, imagesKitty, big); err != nil {
		t.Fatal(err)
	}
	chunks := regexp.MustCompile(`\x1b_G(?:a=T,f=100,)?m=([01]);([^\x1b]*)\x1b\\`).FindAllStringSubmatch(out.String(), -1)
	var joined string
	for i, c := range chunks {
		if last := i == len(chunks)-1; (c[1] == "1") == last || len(c[2]) > 4096 {
			t.Fatalf("kitty chunk %d: m=%s, %d bytes", i, c[1], len(c[2]))
		}
		joined += c[2]
	}
	if got, _ := base64.StdEncoding.DecodeString(joined); !bytes.Equal(got, big) || len(chunks) < 2 {
		t.Errorf("kitty chunks (%d) do not carry the image", len(chunks))
	}
	out.Reset()
	writeImage(&out, imagesITerm, pngBuf.Bytes())
	if !strings.HasPrefix(out.String(), "\x1b]1337;File=inline=1;size=") || !strings.HasSuffix(out.String(), "\a\n") {
		t.Errorf("iTerm2 sequence = %q", out.String()[:40])
	}
	// Sixel: a header with the size, red and white registers, two bands
	// (13 rows), a run of 10 red columns in the first.
	out.Reset()
	var sb bytes.Buffer
	w := bufio.NewWriter(&sb)
	writeSixel(w, img)
	w.Flush()
	s := sb.String()
	for _, want := range []string{"\x1bPq\"1;1;40;13", "#180;2;100;0;0", "#215;2;100;100;100", "#180!10~", "\x1b\\"} {
		if !strings.Contains(s, want) {
			t.Errorf("sixel lacks %q: %q", want, s)
		}
	}
	if n := strings.Count(s, "-"); n != 3 {
		t.Errorf("sixel has %d band ends, want 3 (13 rows)", n)
	}
}
