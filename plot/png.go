package plot

import (
	"bufio"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// fonts are the Go fonts (regular and bold), parsed once. They cover
// Latin, Greek and Cyrillic; the characters they lack are drawn from GNU
// Unifont's bitmaps (unifont.go), so that Chinese, Japanese, Korean and
// other labels read in PNG (SVG leaves the choice of font to the viewer).
var fonts = sync.OnceValues(func() ([2]*opentype.Font, error) {
	var f [2]*opentype.Font
	var err error
	if f[0], err = opentype.Parse(goregular.TTF); err != nil {
		return f, err
	}
	f[1], err = opentype.Parse(gobold.TTF)
	return f, err
})

// WritePNG draws the plot as a PNG image, as WriteSVG does.
func (p *Plot) WritePNG(w io.Writer) error {
	img, err := p.Image()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if err := png.Encode(bw, img); err != nil {
		return err
	}
	return bw.Flush()
}

// Image draws the plot into a new RGBA image.
func (p *Plot) Image() (*image.RGBA, error) {
	l, err := p.place()
	if err != nil {
		return nil, err
	}
	fs, err := fonts()
	if err != nil {
		return nil, err
	}
	faces := [2]*fallbackFace{}
	for k, f := range fs {
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: fontSize, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		defer face.Close()
		faces[k] = &fallbackFace{Face: face, primary: f, size: fontSize}
	}
	img := image.NewRGBA(image.Rect(0, 0, int(l.w), int(l.h)))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for i := range p.Points {
		c := p.color(i)
		c.A = 0xd8
		r := l.radius
		if p.marked(i) {
			r *= 1.8
			disc(img, l.px[i], l.py[i], r+1.5, color.RGBA{0, 0, 0, 0xff})
		}
		disc(img, l.px[i], l.py[i], r, c)
	}
	ink := image.NewUniform(color.RGBA{0x22, 0x22, 0x22, 0xff})
	for _, pl := range l.labels {
		face := faces[0]
		if p.marked(pl.i) {
			face = faces[1]
		}
		halo(img, face, pl.text, pl.x, pl.y)
		d := font.Drawer{Dst: img, Src: ink, Face: face, Dot: fixed.P(int(math.Round(pl.x)), int(math.Round(pl.y)))}
		d.DrawString(pl.text)
	}
	if p.Title != "" {
		d := font.Drawer{Dst: img, Src: ink, Face: faces[1], Dot: fixed.P(int(margin), int(margin))}
		d.DrawString(p.Title)
	}
	x := l.w - margin - maxLabelPx/2 - 20
	for k, it := range p.Legend {
		y := margin + float64(k)*(fontSize+4)
		disc(img, x, y-fontSize*0.35, 4, it.Color)
		d := font.Drawer{Dst: img, Src: ink, Face: faces[0], Dot: fixed.P(int(x+8), int(y))}
		d.DrawString(it.Text)
	}
	for _, f := range faces {
		if f.err != nil {
			return nil, f.err
		}
	}
	return img, nil
}

// halo draws s in white around its position, so that a label stays
// readable over points.
func halo(img *image.RGBA, face font.Face, s string, x, y float64) {
	white := image.NewUniform(color.White)
	for _, o := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-1, -1}, {1, 1}, {-1, 1}, {1, -1}} {
		d := font.Drawer{Dst: img, Src: white, Face: face,
			Dot: fixed.P(int(math.Round(x))+o[0], int(math.Round(y))+o[1])}
		d.DrawString(s)
	}
}

// disc blends a filled circle of radius r at (cx, cy) into img, with
// coverage-based anti-aliasing at its edge.
func disc(img *image.RGBA, cx, cy, r float64, c color.RGBA) {
	b := img.Bounds()
	x0, x1 := max(b.Min.X, int(cx-r-1)), min(b.Max.X-1, int(cx+r+1))
	y0, y1 := max(b.Min.Y, int(cy-r-1)), min(b.Max.Y-1, int(cy+r+1))
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			cov := math.Max(0, math.Min(1, r+0.5-d))
			if cov == 0 {
				continue
			}
			a := cov * float64(c.A) / 255
			o := img.RGBAAt(x, y)
			img.SetRGBA(x, y, color.RGBA{
				R: blend(o.R, c.R, a), G: blend(o.G, c.G, a), B: blend(o.B, c.B, a), A: 0xff,
			})
		}
	}
}

func blend(dst, src uint8, a float64) uint8 {
	return uint8(math.Round(float64(dst)*(1-a) + float64(src)*a))
}
