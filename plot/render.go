package plot

import (
	"fmt"
	"image/color"
	"math"
	"unicode"
	"unicode/utf8"
)

// Plot is a 2-D map ready to draw: points with their labels and colours.
// Points, Labels, Colors and Marked are parallel: entry i describes point
// i. Labels, Colors and Marked may be nil (no labels, one colour, nothing
// marked).
type Plot struct {
	Points []Point
	// Labels are drawn beside their points, in order: a label that would
	// overlap one drawn before it is left out, so put the important points
	// first. An empty label draws nothing.
	Labels []string
	// Colors are the points' fill colours; nil means one colour for all.
	// [CategoryColors] and [ScaleColors] make them.
	Colors []color.RGBA
	// Marked points (the query word of a NEAREST map) are drawn larger,
	// with an outline, and their labels in bold.
	Marked []bool
	// Title is drawn at the top left ("" for none).
	Title string
	// Legend lists colours and what they stand for, drawn at the top right.
	Legend []LegendItem
	// Width and Height are the picture's size in pixels; 0 means 960×720.
	Width, Height int
}

// LegendItem is one line of a legend.
type LegendItem struct {
	Color color.RGBA
	Text  string
}

// Text layout, in pixels.
const (
	fontSize   = 12.0
	margin     = 28.0
	labelGap   = 5.0
	maxLabelPx = 160.0 // longer labels are cut with "…"
)

// Palette is the colours of categories, in order (Tableau 10, the default
// colour cycle of matplotlib).
var Palette = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x2c, 0xa0, 0x2c, 0xff},
	{0xd6, 0x27, 0x28, 0xff}, {0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
	{0xe3, 0x77, 0xc2, 0xff}, {0x7f, 0x7f, 0x7f, 0xff}, {0xbc, 0xbd, 0x22, 0xff},
	{0x17, 0xbe, 0xcf, 0xff},
}

// CategoryColors returns a colour per point from its category: categories
// 0..9 take the palette's colours and the rest cycle through it.
func CategoryColors(cats []int) []color.RGBA {
	out := make([]color.RGBA, len(cats))
	for i, c := range cats {
		out[i] = Palette[((c%len(Palette))+len(Palette))%len(Palette)]
	}
	return out
}

// ScaleColors returns a colour per point from a number, on a blue (low) to
// yellow (high) scale of viridis' colours, and a legend of the extremes.
// With log set the scale is logarithmic (for counts); values that are not
// finite, or not positive on a log scale, are grey.
func ScaleColors(values []float64, log bool) ([]color.RGBA, []LegendItem) {
	lo, hi := math.Inf(1), math.Inf(-1)
	tr := func(v float64) (float64, bool) {
		if math.IsNaN(v) || math.IsInf(v, 0) || (log && v <= 0) {
			return 0, false
		}
		if log {
			return math.Log(v), true
		}
		return v, true
	}
	for _, v := range values {
		if t, ok := tr(v); ok {
			lo, hi = math.Min(lo, t), math.Max(hi, t)
		}
	}
	out := make([]color.RGBA, len(values))
	for i, v := range values {
		t, ok := tr(v)
		if !ok {
			out[i] = color.RGBA{0xbb, 0xbb, 0xbb, 0xff}
			continue
		}
		f := 0.5
		if hi > lo {
			f = (t - lo) / (hi - lo)
		}
		out[i] = viridis(f)
	}
	if lo > hi {
		return out, nil
	}
	back := func(t float64) float64 {
		if log {
			return math.Exp(t)
		}
		return t
	}
	return out, []LegendItem{
		{viridis(1), fmt.Sprintf("%.4g", back(hi))},
		{viridis(0), fmt.Sprintf("%.4g", back(lo))},
	}
}

// viridis returns the colour at f in [0, 1] of a five-stop viridis ramp.
func viridis(f float64) color.RGBA {
	stops := [][3]float64{{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}
	f = math.Max(0, math.Min(1, f)) * float64(len(stops)-1)
	i := min(int(f), len(stops)-2)
	t := f - float64(i)
	var c [3]uint8
	for k := range c {
		c[k] = uint8(math.Round(stops[i][k]*(1-t) + stops[i+1][k]*t))
	}
	return color.RGBA{c[0], c[1], c[2], 0xff}
}

// layout is a plot placed on the canvas: pixel positions, the labels kept
// and where they go.
type layout struct {
	w, h   float64
	px, py []float64
	radius float64
	labels []placed
}

type placed struct {
	i          int     // the point
	text       string  // the label, cut to maxLabelPx
	x, y       float64 // the text's start and baseline
	x0, y0, x1 float64 // its box
	y1         float64
}

func (p *Plot) validate() error {
	n := len(p.Points)
	if (p.Labels != nil && len(p.Labels) != n) || (p.Colors != nil && len(p.Colors) != n) || (p.Marked != nil && len(p.Marked) != n) {
		return fmt.Errorf("%w: labels, colours and marks must have one entry per point (%d)", ErrInput, n)
	}
	if p.Width < 0 || p.Height < 0 || p.Width > 16384 || p.Height > 16384 {
		return fmt.Errorf("%w: size %d×%d: width and height must be from 1 to 16384", ErrOption, p.Width, p.Height)
	}
	for i, pt := range p.Points {
		if math.IsNaN(pt.X) || math.IsNaN(pt.Y) || math.IsInf(pt.X, 0) || math.IsInf(pt.Y, 0) {
			return fmt.Errorf("%w: point %d is not finite", ErrInput, i)
		}
	}
	return nil
}

// place scales the points into the canvas, keeping the aspect ratio, and
// chooses the labels to draw.
func (p *Plot) place() (*layout, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	l := &layout{w: 960, h: 720}
	if p.Width > 0 {
		l.w = float64(p.Width)
	}
	if p.Height > 0 {
		l.h = float64(p.Height)
	}
	n := len(p.Points)
	l.px, l.py = make([]float64, n), make([]float64, n)
	l.radius = 4
	if n > 200 {
		l.radius = 2.5
	}
	if n == 0 {
		return l, nil
	}
	// Coordinates are divided by the largest magnitude first, so that
	// ranges near the float64 limits do not overflow.
	big := 0.0
	for _, pt := range p.Points {
		big = math.Max(big, math.Max(math.Abs(pt.X), math.Abs(pt.Y)))
	}
	if big == 0 {
		big = 1
	}
	pts := make([]Point, n)
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for i, pt := range p.Points {
		pt = Point{pt.X / big, pt.Y / big}
		pts[i] = pt
		minX, maxX = math.Min(minX, pt.X), math.Max(maxX, pt.X)
		minY, maxY = math.Min(minY, pt.Y), math.Max(maxY, pt.Y)
	}
	top := margin
	if p.Title != "" {
		top += fontSize + 6
	}
	// Room on the right for the labels of the rightmost points.
	aw, ah := l.w-2*margin-maxLabelPx/2, l.h-top-margin
	scale := math.Min(aw/math.Max(maxX-minX, 1e-300), ah/math.Max(maxY-minY, 1e-300))
	if maxX == minX && maxY == minY {
		scale = 0
	}
	ox := margin + (aw-scale*(maxX-minX))/2
	oy := top + (ah-scale*(maxY-minY))/2
	for i, pt := range pts {
		l.px[i] = ox + scale*(pt.X-minX)
		l.py[i] = oy + scale*(maxY-pt.Y) // y grows upwards in the map
	}
	l.labels = p.thinLabels(l)
	return l, nil
}

// thinLabels keeps each label, in order, whose box overlaps no label kept
// before it; a label that would leave the canvas on the right goes to the
// left of its point instead.
func (p *Plot) thinLabels(l *layout) []placed {
	if p.Labels == nil {
		return nil
	}
	const cell = 64.0
	grid := map[[2]int][]int{}
	var kept []placed
	for i, s := range p.Labels {
		if s == "" {
			continue
		}
		text, w := fitLabel(s)
		r := l.radius
		if p.marked(i) {
			r = r*1.8 + 1.5
		}
		x := l.px[i] + r + labelGap
		if x+w > l.w-2 {
			x = l.px[i] - r - labelGap - w
		}
		y := l.py[i] + fontSize*0.35
		pl := placed{i: i, text: text, x: x, y: y, x0: x - 1, y0: l.py[i] - fontSize*0.6, x1: x + w + 1, y1: l.py[i] + fontSize*0.6}
		if pl.x0 < 0 || pl.y0 < 0 || pl.y1 > l.h {
			continue
		}
		c0, c1 := int(pl.x0/cell), int(pl.x1/cell)
		r0, r1 := int(pl.y0/cell), int(pl.y1/cell)
		clash := false
		for cx := c0; cx <= c1 && !clash; cx++ {
			for cy := r0; cy <= r1 && !clash; cy++ {
				for _, k := range grid[[2]int{cx, cy}] {
					o := kept[k]
					if pl.x0 < o.x1 && o.x0 < pl.x1 && pl.y0 < o.y1 && o.y0 < pl.y1 {
						clash = true
						break
					}
				}
			}
		}
		if clash {
			continue
		}
		for cx := c0; cx <= c1; cx++ {
			for cy := r0; cy <= r1; cy++ {
				grid[[2]int{cx, cy}] = append(grid[[2]int{cx, cy}], len(kept))
			}
		}
		kept = append(kept, pl)
	}
	return kept
}

// fitLabel returns s without control characters, cut with "…" to
// maxLabelPx, and its estimated width in pixels.
func fitLabel(s string) (string, float64) {
	var out []rune
	w := 0.0
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			r = utf8.RuneError
		}
		rw := runeWidth(r)
		if w+rw > maxLabelPx {
			out = append(out, '…')
			w += runeWidth('…')
			break
		}
		out = append(out, r)
		w += rw
	}
	return string(out), w
}

// runeWidth estimates a character's advance at fontSize: wide (CJK, emoji)
// characters take a full em, others about 0.6 of one (sans-serif average).
func runeWidth(r rune) float64 {
	if r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) ||
		unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || r >= 0x1F000) {
		return fontSize
	}
	return fontSize * 0.6
}

func hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// defaultColor is the colour of points when Colors is nil.
var defaultColor = Palette[0]

func (p *Plot) color(i int) color.RGBA {
	if p.Colors == nil {
		return defaultColor
	}
	return p.Colors[i]
}

func (p *Plot) marked(i int) bool { return p.Marked != nil && p.Marked[i] }
