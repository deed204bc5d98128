package plot_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/plot"
)

// FuzzPlot_WriteSVG draws arbitrary labels at arbitrary places: nothing
// panics, and the SVG is well-formed XML whatever the labels hold.
func FuzzPlot_WriteSVG(f *testing.F) {
	f.Add("python", "a<b&c\"d'", 0.0, 1.0, 2.0, -3.0)
	f.Add("\x00\x1b[31m", "你好\uFFFE\xff", 1e300, -1e300, 0.0, 0.0)
	f.Add("", "]]>", 0.5, 0.5, 0.5, 0.5)
	f.Fuzz(func(t *testing.T, a, b string, x1, y1, x2, y2 float64) {
		p := &plot.Plot{Points: []plot.Point{{x1, y1}, {x2, y2}}, Labels: []string{a, b}, Title: a + b,
			Legend: []plot.LegendItem{{Color: plot.Palette[0], Text: b}}}
		var buf bytes.Buffer
		err := p.WriteSVG(&buf)
		finite := true
		for _, v := range []float64{x1, y1, x2, y2} {
			finite = finite && !math.IsNaN(v) && !math.IsInf(v, 0)
		}
		if err != nil {
			if finite {
				t.Fatalf("WriteSVG of finite points: %v", err)
			}
			return
		}
		if finite && strings.Contains(buf.String(), "NaN") {
			t.Fatalf("SVG of finite points has NaN coordinates:\n%s", buf.String())
		}
		dec := xml.NewDecoder(strings.NewReader(buf.String()))
		for {
			if _, err := dec.Token(); err != nil {
				if err != io.EOF {
					t.Fatalf("SVG is not well-formed: %v\n%s", err, buf.String())
				}
				break
			}
		}
	})
}
