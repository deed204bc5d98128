package plot_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/plot"
)

func samplePlot() *plot.Plot {
	return &plot.Plot{
		Points: []plot.Point{{0, 0}, {1, 1}, {1.001, 1}, {5, -2}},
		Labels: []string{"python", "king", "kingdom", "a<b&c"},
		Colors: plot.CategoryColors([]int{0, 1, 1, 2}),
		Marked: []bool{true, false, false, false},
		Title:  "map",
	}
}

func TestPlot_WriteSVG(t *testing.T) {
	var buf bytes.Buffer
	if err := samplePlot().WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	// Well-formed XML.
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := dec.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("SVG is not well-formed: %v\n%s", err, s)
			}
			break
		}
	}
	for _, want := range []string{">python</text>", ">king</text>", ">a&lt;b&amp;c</text>", `font-weight="bold">python`, "<circle"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %q:\n%s", want, s)
		}
	}
	// "kingdom" sits on top of "king" (0.001 apart): its label is thinned
	// out, while its point and tooltip stay.
	if strings.Contains(s, ">kingdom</text>") {
		t.Errorf("the overlapping label kingdom was drawn:\n%s", s)
	}
	if !strings.Contains(s, "<title>kingdom</title>") {
		t.Errorf("the point kingdom lost its tooltip:\n%s", s)
	}
	if got := strings.Count(s, "<circle"); got != 4 {
		t.Errorf("SVG has %d circles, want 4", got)
	}
}

func TestPlot_WritePNG(t *testing.T) {
	var buf bytes.Buffer
	p := samplePlot()
	p.Width, p.Height = 400, 300
	if err := p.WritePNG(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 400 || b.Dy() != 300 {
		t.Fatalf("PNG is %v, want 400×300", b)
	}
	// Some pixels are dark (text) and some are the palette's blue (points).
	dark, colored := 0, 0
	for y := 0; y < 300; y++ {
		for x := 0; x < 400; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r < 0x4000 && g < 0x4000 && b < 0x4000 {
				dark++
			}
			if b > 0x9000 && r < 0x5000 {
				colored++
			}
		}
	}
	if dark < 50 || colored < 10 {
		t.Errorf("PNG has %d dark and %d blue pixels: want labels and points drawn", dark, colored)
	}
}

func TestPlot_Errors(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    plot.Plot
		want error
	}{
		{"Labels", plot.Plot{Points: []plot.Point{{0, 0}}, Labels: []string{"a", "b"}}, plot.ErrInput},
		{"NaN", plot.Plot{Points: []plot.Point{{math.NaN(), 0}}}, plot.ErrInput},
		{"Size", plot.Plot{Width: 100000}, plot.ErrOption},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.p.WriteSVG(&bytes.Buffer{}); !errors.Is(err, tc.want) {
				t.Errorf("WriteSVG error = %v, want %v", err, tc.want)
			}
			if err := tc.p.WritePNG(&bytes.Buffer{}); !errors.Is(err, tc.want) {
				t.Errorf("WritePNG error = %v, want %v", err, tc.want)
			}
		})
	}
	// No points draws an empty picture.
	if err := (&plot.Plot{}).WriteSVG(&bytes.Buffer{}); err != nil {
		t.Errorf("WriteSVG of no points: %v", err)
	}
}

// TestPlot_Thinning: on 2,000 PCA-projected words many labels overlap; the
// first word's is kept (render_internal_test.go checks that kept boxes
// never overlap).
func TestPlot_Thinning(t *testing.T) {
	words, data, dim := loadWords(t)
	pts, err := plot.PCA(context.Background(), data, dim)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := (&plot.Plot{Points: pts, Labels: words}).WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	n := strings.Count(buf.String(), "</text>")
	if n < 20 || n > 1000 {
		t.Errorf("%d of 2,000 labels drawn; want some but far from all", n)
	}
	if !strings.Contains(buf.String(), ">"+words[0]+"</text>") {
		t.Errorf("the first label %q was thinned out", words[0])
	}
}
