package plot

import (
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// drawText draws s alone on a white 64×24 image with face, and returns the
// ink (pixels visibly darker than white) as a bitmap.
func drawText(face font.Face, s string) []bool {
	img := image.NewRGBA(image.Rect(0, 0, 64, 24))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.Black, Face: face, Dot: fixed.P(4, 17)}
	d.DrawString(s)
	ink := make([]bool, 64*24)
	for y := range 24 {
		for x := range 64 {
			ink[y*64+x] = color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 200
		}
	}
	return ink
}

func countInk(ink []bool) int {
	n := 0
	for _, b := range ink {
		if b {
			n++
		}
	}
	return n
}

func sameInk(a, b []bool) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestFallbackFace_CJK: characters the Go font lacks (Chinese, Japanese,
// Korean, Arabic) draw from Unifont: each has ink, unlike the Go font's
// box, and two characters differ, which boxes would not.
func TestFallbackFace_CJK(t *testing.T) {
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	plain, err := opentype.NewFace(fs[0], &opentype.FaceOptions{Size: fontSize, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	face := &fallbackFace{Face: plain, primary: fs[0], size: fontSize}
	box := drawText(plain, "你")
	seen := map[string][]bool{}
	for _, s := range []string{"你", "好", "猫", "ね", "한", "ب", "א"} {
		ink := drawText(face, s)
		if n := countInk(ink); n < 8 {
			t.Errorf("%q draws %d dark pixels, want a glyph", s, n)
		}
		if sameInk(ink, box) {
			t.Errorf("%q draws as the Go font's box", s)
		}
		for o, other := range seen {
			if sameInk(ink, other) {
				t.Errorf("%q and %q draw the same pixels", s, o)
			}
		}
		seen[s] = ink
	}
	if face.err != nil {
		t.Fatal(face.err)
	}
	// Latin stays with the Go font, pixel for pixel.
	if !sameInk(drawText(face, "cat"), drawText(plain, "cat")) {
		t.Error(`"cat" is not drawn by the Go font`)
	}
	// "你" as Unifont draws it: a glyph a little narrower than the em.
	adv, ok := face.GlyphAdvance('你')
	if !ok || adv != fixed.I(12) {
		t.Errorf("GlyphAdvance('你') = %v, %v; want 12px", adv, ok)
	}
}

// TestPlot_ChineseLabelPNG: a map with Chinese labels draws them, not
// boxes: the label's area of the PNG differs from the same map drawn with
// a label of boxes. The picture is kept in testdata for a person to look.
func TestPlot_ChineseLabelPNG(t *testing.T) {
	p := &Plot{Points: []Point{{0, 0}, {1, 1}, {2, 0}}, Labels: []string{"你好", "世界", "cat"}, Title: "中文 标签"}
	img, err := p.Image()
	if err != nil {
		t.Fatal(err)
	}
	boxes := &Plot{Points: p.Points, Labels: []string{"\uFFFF\uFFFF", "\uFFFF\uFFFF", "cat"}, Title: "\uFFFF\uFFFF \uFFFF\uFFFF"}
	bimg, err := boxes.Image()
	if err != nil {
		t.Fatal(err)
	}
	diff := 0
	for i := range img.Pix {
		if img.Pix[i] != bimg.Pix[i] {
			diff++
		}
	}
	if diff < 100 {
		t.Errorf("the map with Chinese labels differs from the one with boxes in %d bytes only", diff)
	}
	if dir := os.Getenv("EMBEDDB_KEEP_PNG"); dir != "" {
		f, err := os.Create(filepath.Join(dir, "chinese-labels.png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := p.WritePNG(f); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUnifont_Table checks the embedded glyphs: every CJK ideograph of
// the common block is there, 16 pixels wide; Latin is left to the Go font.
func TestUnifont_Table(t *testing.T) {
	tab, err := unifont()
	if err != nil {
		t.Fatal(err)
	}
	for r := rune(0x4E00); r <= 0x9FA5; r++ {
		if o := tab.off[r]; o < 0 || o&1 != 1 {
			t.Fatalf("U+%04X: offset %d, want a wide glyph", r, o)
		}
	}
	if tab.off['a'] != -1 {
		t.Errorf("'a' is in the table; the Go font draws it")
	}
}
