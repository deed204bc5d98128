package plot

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// WriteSVG draws the plot as an SVG document: a circle per point (with its
// label as a tooltip), the labels that fit as text with a white halo, the
// title and the legend.
func (p *Plot) WriteSVG(w io.Writer) error {
	l, err := p.place()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="%g">`+"\n",
		l.w, l.h, l.w, l.h, fontSize)
	fmt.Fprintf(bw, `<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n")
	if p.Title != "" {
		fmt.Fprintf(bw, `<text x="%g" y="%g" font-size="%g" font-weight="bold" fill="#222">%s</text>`+"\n",
			margin, margin, fontSize+2, esc(p.Title))
	}
	bw.WriteString(`<g class="points" fill-opacity="0.85">` + "\n")
	for i := range p.Points {
		r := l.radius
		extra := ""
		if p.marked(i) {
			r *= 1.8
			extra = ` stroke="#000" stroke-width="1.5"`
		}
		label := ""
		if p.Labels != nil {
			label = "<title>" + esc(p.Labels[i]) + "</title>"
		}
		fmt.Fprintf(bw, `<circle cx="%.2f" cy="%.2f" r="%g" fill="%s"%s>%s</circle>`+"\n",
			l.px[i], l.py[i], r, hex(p.color(i)), extra, label)
	}
	bw.WriteString("</g>\n")
	bw.WriteString(`<g class="labels" fill="#222" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">` + "\n")
	for _, pl := range l.labels {
		weight := ""
		if p.marked(pl.i) {
			weight = ` font-weight="bold"`
		}
		fmt.Fprintf(bw, `<text x="%.2f" y="%.2f"%s>%s</text>`+"\n", pl.x, pl.y, weight, esc(pl.text))
	}
	bw.WriteString("</g>\n")
	p.svgLegend(bw, l)
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

func (p *Plot) svgLegend(bw *bufio.Writer, l *layout) {
	if len(p.Legend) == 0 {
		return
	}
	x := l.w - margin - maxLabelPx/2 - 20
	for k, it := range p.Legend {
		y := margin + float64(k)*(fontSize+4)
		fmt.Fprintf(bw, `<circle cx="%g" cy="%g" r="4" fill="%s"/><text x="%g" y="%g" fill="#222">%s</text>`+"\n",
			x, y-fontSize*0.35, hex(it.Color), x+8, y, esc(it.Text))
	}
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // never fails on a strings.Builder
	return b.String()
}
