package index_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/internal/testrace"
)

// calibrationTolerance is how far below the asked recall the recall on
// unseen queries may fall: the calibration measures 200 of the index's own
// rows, so its estimate carries sampling error (about 0.01 at recall 0.9).
const calibrationTolerance = 0.03

// TestHNSW_Calibrate calibrates indexes on their own rows and checks, on
// queries that are not in the index (drawn like its rows), that the
// setting chosen for each recall target reaches it within the tolerance.
func TestHNSW_Calibrate(t *testing.T) {
	testrace.Skip(t)
	const n, nq, dim = 6000, 300, 32
	all := latent(5, n+nq+index.DefaultCalibrationQueries, dim, 12)
	vecs, qs, calQs := all[:n*dim], all[n*dim:(n+nq)*dim], all[(n+nq)*dim:]
	ids := seqIDs(n)
	f := mustFlat(t, dim, index.Cosine, ids, vecs)
	for _, c := range []struct {
		q       index.Quantization
		heldOut bool // calibrate with queries not in the index, not its own rows
	}{{index.QuantNone, false}, {index.QuantInt8, false}, {index.QuantNone, true}, {index.QuantInt8, true}} {
		q := c.q
		t.Run(fmt.Sprintf("%v/held-out=%v", q, c.heldOut), func(t *testing.T) {
			// A deliberately weak graph, so that recall depends on ef_search.
			h, err := index.Build(context.Background(), dim, ids, vecs,
				index.Options{M: 4, EfConstruction: 16, Quantization: q, Workers: 2}, nil)
			if err != nil {
				t.Fatal(err)
			}
			cal, err := h.Calibrate(context.Background(), index.CalibrateOptions{Seed: 1})
			if c.heldOut {
				cal, err = h.CalibrateHeldOut(context.Background(), calQs, index.CalibrateOptions{})
			}
			if err != nil {
				t.Fatal(err)
			}
			if cal.Queries != index.DefaultCalibrationQueries || cal.K != 10 || len(cal.Points) < 3 {
				t.Fatalf("calibration %v: want %d queries, k 10, several points", cal, index.DefaultCalibrationQueries)
			}
			if cal.Points[0].Recall >= 0.9 {
				t.Fatalf("recall %.3f at the smallest ef_search: the graph is too good for this test", cal.Points[0].Recall)
			}
			checked := 0
			for _, target := range []float64{0.8, 0.9, 0.95, 0.99} {
				p, ok := cal.For(target)
				if !ok {
					t.Logf("recall %.2f: not reached by any setting (%v)", target, cal)
					continue
				}
				got := meanRecall(t, h, f, qs, dim, 10, index.SearchOptions{EfSearch: p.EfSearch, Rescore: p.Rescore})
				if target == 0.8 {
					t.Log(cal)
				}
				t.Logf("target %.2f: ef_search %d rescore %d, calibrated %.4f, held-out queries %.4f", target, p.EfSearch, p.Rescore, p.Recall, got)
				if got < target-calibrationTolerance {
					t.Errorf("target %.2f: ef_search %d rescore %d reached %.4f on unseen queries, want >= %.2f", target, p.EfSearch, p.Rescore, got, target-calibrationTolerance)
				}
				checked++
			}
			if checked < 3 {
				t.Errorf("only %d targets reachable: %v", checked, cal)
			}
			back, err := index.ParseCalibration(cal.String())
			if err != nil || back.String() != cal.String() {
				t.Errorf("ParseCalibration(String()) = %v, %v; want %v", back, err, cal)
			}
		})
	}
}

// TestHNSW_HeldOut checks that a held-out row is neither returned nor
// walked through: searching a row's own vector finds it first normally,
// never when it is held out.
func TestHNSW_HeldOut(t *testing.T) {
	const n, dim = 2000, 16
	vecs := clustered(3, n, dim)
	h, err := index.Build(context.Background(), dim, seqIDs(n), vecs, index.Options{Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for id := uint32(1); id < n; id += 97 {
		q := vecs[int(id)*dim : int(id+1)*dim]
		res, err := index.SearchHeldOut(h, q, 10, 40, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.ID == id {
				t.Fatalf("row %d held out but returned", id)
			}
		}
		if len(res) != 10 {
			t.Fatalf("row %d: %d results", id, len(res))
		}
	}
}

// TestHNSW_Calibrate_Small: an index too small to sample has no points,
// and an index without its vectors cannot be calibrated.
func TestHNSW_Calibrate_Small(t *testing.T) {
	h, err := index.Build(context.Background(), 4, seqIDs(5), clustered(1, 5, 4), index.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := h.Calibrate(context.Background(), index.CalibrateOptions{})
	if err != nil || len(cal.Points) != 0 {
		t.Fatalf("Calibrate of 5 rows = %v, %v; want no points", cal, err)
	}
	if _, ok := cal.For(0.5); ok {
		t.Fatal("For on an empty calibration reported a setting")
	}
	hq, _ := buildQuant(t, index.QuantInt8, index.Cosine, 200, 8)
	if err := hq.DropVectors(); err != nil {
		t.Fatal(err)
	}
	if _, err := hq.Calibrate(context.Background(), index.CalibrateOptions{}); err == nil {
		t.Fatal("Calibrate of an index without vectors: no error")
	}
}

func FuzzParseCalibration(f *testing.F) {
	for _, s := range []string{"k=10 queries=200 10:0.5000 16:0.9000", "k=10 queries=3 16x2:1.0000", "", "k=0 queries=1", "k=10 queries=2 x:1", "k=1 queries=1 5x0:0.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := index.ParseCalibration(s)
		if err != nil {
			return
		}
		back, err := index.ParseCalibration(c.String())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", c.String(), err)
		}
		if fmt.Sprint(back) != fmt.Sprint(c) {
			// Recalls are written to 4 places: compare the text.
			if back.String() != c.String() {
				t.Fatalf("round trip %q -> %q", c.String(), back.String())
			}
		}
	})
}

// BenchmarkHNSW_Calibrate measures what CREATE INDEX adds for SET recall:
// one Calibrate of the dataset's float32 index (200 held-out rows, the
// ef_search ladder), reported in seconds, with the recall@10 of the
// dataset's own held-out queries at the ef_search chosen for 0.95 and 0.99
// beside the calibration's estimate.
func BenchmarkHNSW_Calibrate(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		b.Run(ds.name, func(b *testing.B) {
			h := hnswFor(b, ds)
			var cal index.Calibration
			for b.Loop() {
				var err error
				if cal, err = h.Calibrate(context.Background(), index.CalibrateOptions{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/calibration")
			for _, target := range []float64{0.95, 0.99} {
				p, ok := cal.For(target)
				if !ok {
					continue
				}
				got := recallOf(b, ds, func(i int) ([]index.Result, error) {
					o := ds.opts(i)
					o.EfSearch = p.EfSearch
					return h.Search(context.Background(), ds.qs[i*ds.dim:(i+1)*ds.dim], benchK, o)
				})
				b.ReportMetric(float64(p.EfSearch), fmt.Sprintf("ef@%g", target))
				b.ReportMetric(p.Recall, fmt.Sprintf("estimate@%g", target))
				b.ReportMetric(got, fmt.Sprintf("queries-recall@%g", target))
			}
			b.Log(cal)
		})
	}
}

// TestBuildCalibrated checks that the rows held out for the calibration
// end up in the index, which takes no more memory than Build's, and that
// the calibration came from them.
func TestBuildCalibrated(t *testing.T) {
	const n, dim, held = 3000, 16, 150
	vecs := clustered(4, n, dim)
	for _, q := range []index.Quantization{index.QuantNone, index.QuantInt8} {
		o := index.Options{Workers: 1, Quantization: q}
		whole, err := index.Build(context.Background(), dim, seqIDs(n), vecs, o, nil)
		if err != nil {
			t.Fatal(err)
		}
		h, cal, err := index.BuildCalibrated(context.Background(), dim, seqIDs(n), vecs, held, o, index.CalibrateOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if h.Len() != n || !h.Contains(n-1) || !h.Contains(0) {
			t.Fatalf("%v: Len %d, want %d with the held-out rows", q, h.Len(), n)
		}
		if cal.Queries != held || len(cal.Points) == 0 {
			t.Fatalf("%v: calibration %v, want %d queries", q, cal, held)
		}
		if got, want := h.MemoryBytes(), whole.MemoryBytes(); float64(got) > 1.02*float64(want) {
			t.Errorf("%v: memory %d, Build's %d", q, got, want)
		}
	}
	if _, _, err := index.BuildCalibrated(context.Background(), dim, seqIDs(n), vecs, n+1, index.Options{}, index.CalibrateOptions{}, nil); err == nil {
		t.Error("held > rows: no error")
	}
}

// TestHNSW_GroundTruth checks the calibration's exact answers (rows
// compared a cache-sized block at a time) against Flat under each metric,
// with deleted rows, a held-out row, and blocks that do not divide the
// table.
func TestHNSW_GroundTruth(t *testing.T) {
	for _, c := range []struct {
		m      index.Metric
		n, dim int
	}{{index.Cosine, 3001, 16}, {index.Dot, 2500, 8}, {index.Euclidean, 1999, 24}, {index.Cosine, 700, 1100}} {
		t.Run(fmt.Sprintf("%v/%dx%d", c.m, c.n, c.dim), func(t *testing.T) {
			vecs := clustered(11, c.n, c.dim)
			ids := seqIDs(c.n)
			h, err := index.Build(context.Background(), c.dim, ids, vecs, index.Options{Metric: c.m, M: 4, EfConstruction: 16, Workers: 2}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var live []uint32
			for _, id := range ids {
				if id%7 == 3 {
					if err := h.Delete(id); err != nil {
						t.Fatal(err)
					}
					continue
				}
				live = append(live, id)
			}
			var liveVecs []float32
			for _, id := range live {
				liveVecs = append(liveVecs, vecs[int(id)*c.dim:int(id+1)*c.dim]...)
			}
			f := mustFlat(t, c.dim, c.m, live, liveVecs)
			qs := queriesNear(11, c.n, c.dim, 6)
			hold := []int64{-1, -1, -1, -1, -1, -1}
			// The last query is a live row of the table, held out.
			qs = append(qs[:5*c.dim], vecs[int(live[10])*c.dim:int(live[10]+1)*c.dim]...)
			hold[5] = int64(live[10])
			got, err := index.GroundTruth(h, qs, hold, 10)
			if err != nil {
				t.Fatal(err)
			}
			for i := range hold {
				var ex []uint32
				if hold[i] >= 0 {
					ex = []uint32{uint32(hold[i])}
				}
				want, err := f.Search(context.Background(), qs[i*c.dim:(i+1)*c.dim], 10, index.SearchOptions{Exclude: ex})
				if err != nil {
					t.Fatal(err)
				}
				if r := recallAt(asResults(got[i]), want); r != 1 {
					t.Errorf("query %d: truth %v, Flat %v", i, got[i], want)
				}
			}
		})
	}
}

func asResults(ids []uint32) []index.Result {
	out := make([]index.Result, len(ids))
	for i, id := range ids {
		out[i] = index.Result{ID: id}
	}
	return out
}
