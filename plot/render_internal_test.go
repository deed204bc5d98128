package plot

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestThinLabels_NoOverlap: of many crowded labels, the kept boxes never
// overlap each other and stay inside the canvas.
func TestThinLabels_NoOverlap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	p := &Plot{}
	for i := 0; i < 3000; i++ {
		p.Points = append(p.Points, Point{rng.NormFloat64(), rng.NormFloat64()})
		p.Labels = append(p.Labels, "word"+strconv.Itoa(i))
	}
	l, err := p.place()
	if err != nil {
		t.Fatal(err)
	}
	if len(l.labels) < 30 || len(l.labels) > 1500 {
		t.Fatalf("%d labels kept of 3000", len(l.labels))
	}
	for a, pa := range l.labels {
		if pa.x0 < 0 || pa.x1 > l.w || pa.y0 < 0 || pa.y1 > l.h {
			t.Errorf("label %q box (%g,%g)-(%g,%g) leaves the %gx%g canvas", pa.text, pa.x0, pa.y0, pa.x1, pa.y1, l.w, l.h)
		}
		for _, pb := range l.labels[a+1:] {
			if pa.x0 < pb.x1 && pb.x0 < pa.x1 && pa.y0 < pb.y1 && pb.y0 < pa.y1 {
				t.Fatalf("labels %q and %q overlap", pa.text, pb.text)
			}
		}
	}
}
