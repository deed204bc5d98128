package plot

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"encoding/binary"
	"fmt"
	"image"
	"io"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// unifontZ is GNU Unifont's glyphs for the characters of the Basic
// Multilingual Plane that the Go fonts lack (CJK, Hangul, kana, Arabic,
// Hebrew, Devanagari, Thai...): 56,315 bitmaps of 16 pixels' height,
// 721,067 bytes compressed. testdata/gen_unifont.sh makes it; the licence
// (SIL OFL 1.1) is UNIFONT-LICENSE.txt.
//
//go:embed unifont.bin
var unifontZ []byte

// unifontTable is unifontZ inflated: off[r] is the place of r's bitmap in
// bits times 2, plus 1 for a 16-pixel-wide glyph (else 8), or -1.
type unifontTable struct {
	off  []int32
	bits []byte
}

// unifont inflates the glyphs on first use (1.7 MB), which only a label
// in a script the Go fonts lack needs.
var unifont = sync.OnceValues(func() (*unifontTable, error) {
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(unifontZ)))
	if err != nil {
		return nil, fmt.Errorf("plot: inflate unifont.bin: %w", err)
	}
	t := &unifontTable{off: make([]int32, 0x10000), bits: make([]byte, 0, len(raw))}
	for i := range t.off {
		t.off[i] = -1
	}
	for p := 0; p < len(raw); {
		if len(raw)-p < 5 {
			return nil, fmt.Errorf("plot: unifont.bin: bad run header at %d", p)
		}
		start, count, w := int(binary.LittleEndian.Uint16(raw[p:])), int(binary.LittleEndian.Uint16(raw[p+2:])), int(raw[p+4])
		p += 5
		size := 2 * w // 16 rows of w/8 bytes
		if (w != 8 && w != 16) || start+count > 0x10000 || len(raw)-p < count*size {
			return nil, fmt.Errorf("plot: unifont.bin: bad run at %d", p)
		}
		for k := range count {
			o := int32(len(t.bits)) << 1
			if w == 16 {
				o |= 1
			}
			t.off[start+k] = o
			t.bits = append(t.bits, raw[p+k*size:p+(k+1)*size]...)
		}
		p += count * size
	}
	return t, nil
})

// unifontFace draws Unifont's bitmaps scaled to a face's size, with
// area-averaged coverage, so that a 16-pixel glyph sits beside a 12-pixel
// Go font. Masks are cached per character.
type unifontFace struct {
	t     *unifontTable
	scale float64 // output pixels per Unifont pixel
	cache map[rune]*image.Alpha
}

// Unifont's glyphs are 16 pixels high with the baseline 2 pixels above
// their bottom.
const (
	unifontHeight = 16
	unifontAscent = 14
)

func (f *unifontFace) has(r rune) bool {
	return r >= 0 && r < 0x10000 && f.t.off[r] >= 0
}

// mask returns r's scaled coverage mask; r must be present.
func (f *unifontFace) mask(r rune) *image.Alpha {
	if m, ok := f.cache[r]; ok {
		return m
	}
	o := f.t.off[r]
	srcW := 8
	if o&1 == 1 {
		srcW = 16
	}
	bits := f.t.bits[o>>1:]
	stride := srcW / 8
	on := func(x, y int) bool { return bits[y*stride+x/8]&(0x80>>(x%8)) != 0 }
	w := max(1, int(float64(srcW)*f.scale+0.5))
	h := max(1, int(unifontHeight*f.scale+0.5))
	m := image.NewAlpha(image.Rect(0, 0, w, h))
	sx, sy := float64(srcW)/float64(w), float64(unifontHeight)/float64(h)
	for y := range h {
		for x := range w {
			m.Pix[y*m.Stride+x] = uint8(255*coverage(on, float64(x)*sx, float64(y)*sy, sx, sy) + 0.5)
		}
	}
	f.cache[r] = m
	return m
}

// coverage is the share of the box [x0, x0+w) × [y0, y0+h) of source
// pixels that are on.
func coverage(on func(x, y int) bool, x0, y0, w, h float64) float64 {
	var sum float64
	for y := int(y0); float64(y) < y0+h; y++ {
		fy := min(float64(y+1), y0+h) - max(float64(y), y0)
		for x := int(x0); float64(x) < x0+w; x++ {
			if on(x, y) {
				sum += fy * (min(float64(x+1), x0+w) - max(float64(x), x0))
			}
		}
	}
	return sum / (w * h)
}

// fallbackFace is a Go font face that draws the characters the font lacks
// with Unifont, character by character.
type fallbackFace struct {
	font.Face
	primary *opentype.Font
	buf     sfnt.Buffer
	size    float64
	uni     *unifontFace
	err     error // inflating the glyphs failed
}

// useUnifont reports whether r is drawn from Unifont: the Go font lacks
// it and Unifont has it.
func (f *fallbackFace) useUnifont(r rune) bool {
	if i, err := f.primary.GlyphIndex(&f.buf, r); err == nil && i != 0 {
		return false
	}
	if f.uni == nil && f.err == nil {
		t, err := unifont()
		if err != nil {
			f.err = err
			return false
		}
		f.uni = &unifontFace{t: t, scale: f.size / unifontHeight, cache: map[rune]*image.Alpha{}}
	}
	return f.uni != nil && f.uni.has(r)
}

// Glyph implements [font.Face].
func (f *fallbackFace) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	if !f.useUnifont(r) {
		return f.Face.Glyph(dot, r)
	}
	m := f.uni.mask(r)
	asc := int(unifontAscent*f.uni.scale + 0.5)
	x, y := dot.X.Round(), dot.Y.Round()-asc
	b := m.Bounds()
	return image.Rect(x, y, x+b.Dx(), y+b.Dy()), m, image.Point{}, fixed.I(b.Dx()), true
}

// GlyphBounds implements [font.Face].
func (f *fallbackFace) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	if !f.useUnifont(r) {
		return f.Face.GlyphBounds(r)
	}
	b := f.uni.mask(r).Bounds()
	asc := int(unifontAscent*f.uni.scale + 0.5)
	return fixed.R(0, -asc, b.Dx(), b.Dy()-asc), fixed.I(b.Dx()), true
}

// GlyphAdvance implements [font.Face].
func (f *fallbackFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) {
	if !f.useUnifont(r) {
		return f.Face.GlyphAdvance(r)
	}
	return fixed.I(f.uni.mask(r).Bounds().Dx()), true
}

// Kern implements [font.Face]: no kerning next to a Unifont glyph.
func (f *fallbackFace) Kern(r0, r1 rune) fixed.Int26_6 {
	if f.useUnifont(r0) || f.useUnifont(r1) {
		return 0
	}
	return f.Face.Kern(r0, r1)
}
