package index_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/embeddb/embeddb/index"
)

// wordVectors is a word2vec text file read for tests.
type wordVectors struct {
	dim   int
	words []string
	id    map[string]uint32
	vecs  []float32
}

func (w *wordVectors) vec(word string) []float32 {
	i := int(w.id[word])
	return w.vecs[i*w.dim : (i+1)*w.dim]
}

func readWordVectors(tb testing.TB, path string) *wordVectors {
	tb.Helper()
	fh, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	if !sc.Scan() {
		tb.Fatalf("%s: no header", path)
	}
	head := strings.Fields(sc.Text())
	n, _ := strconv.Atoi(head[0])
	dim, _ := strconv.Atoi(head[1])
	w := &wordVectors{dim: dim, id: make(map[string]uint32, n), vecs: make([]float32, 0, n*dim)}
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != dim+1 {
			tb.Fatalf("%s: line %q has %d fields, want %d", path, sc.Text()[:20], len(f), dim+1)
		}
		w.id[f[0]] = uint32(len(w.words))
		w.words = append(w.words, f[0])
		for _, x := range f[1:] {
			v, err := strconv.ParseFloat(x, 32)
			if err != nil {
				tb.Fatal(err)
			}
			w.vecs = append(w.vecs, float32(v))
		}
	}
	if len(w.words) != n {
		tb.Fatalf("%s: %d words, header says %d", path, len(w.words), n)
	}
	return w
}

type goldenQuery struct {
	Metric   string   `json:"metric"`
	Positive []string `json:"positive"`
	Negative []string `json:"negative"`
	TopN     int      `json:"topn"`
	Result   [][2]any `json:"result"`
}

// TestFlat_Search_Gensim checks exact search against answers recorded from
// gensim's most_similar (and numpy for dot and euclidean) on a small model;
// testdata/make_golden.py regenerates them.
func TestFlat_Search_Gensim(t *testing.T) {
	wv := readWordVectors(t, filepath.Join("testdata", "lee24.txt"))
	ids := seqIDs(len(wv.words))
	flats := map[string]*index.Flat{}
	for _, m := range []index.Metric{index.Cosine, index.Dot, index.Euclidean} {
		flats[m.String()] = mustFlat(t, wv.dim, m, ids, wv.vecs)
	}
	fh, err := os.Open(filepath.Join("testdata", "golden.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	dec := json.NewDecoder(fh)
	count := 0
	for dec.More() {
		var g goldenQuery
		if err := dec.Decode(&g); err != nil {
			t.Fatal(err)
		}
		count++
		name := g.Metric + ":" + strings.Join(g.Positive, "+")
		if len(g.Negative) > 0 {
			name += "-" + strings.Join(g.Negative, "-")
		}
		t.Run(name, func(t *testing.T) {
			var pos, neg [][]float32
			var exclude []uint32
			for _, w := range g.Positive {
				pos = append(pos, wv.vec(w))
				exclude = append(exclude, wv.id[w])
			}
			for _, w := range g.Negative {
				neg = append(neg, wv.vec(w))
				exclude = append(exclude, wv.id[w])
			}
			q := pos[0]
			if g.Metric == "cosine" {
				if q, err = index.Combine(pos, neg); err != nil {
					t.Fatal(err)
				}
			}
			got, err := flats[g.Metric].Search(context.Background(), q, g.TopN, index.SearchOptions{Exclude: exclude})
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, wv, got, g.Result)
		})
	}
	if count < 50 {
		t.Fatalf("golden.jsonl has %d queries, want at least 50", count)
	}
}

// compareGolden requires the same scores rank by rank (within float32
// rounding) and the same words, except that words whose scores tie (within
// that tolerance) may swap, and a tie at the last place may bring in
// another word.
func compareGolden(t *testing.T, wv *wordVectors, got []index.Result, want [][2]any) {
	t.Helper()
	const tol = 2e-6
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d", len(got), len(want))
	}
	wantScore := map[string]float64{}
	for _, w := range want {
		wantScore[w[0].(string)] = w[1].(float64)
	}
	last := want[len(want)-1][1].(float64)
	for i, r := range got {
		word := wv.words[r.ID]
		ws := want[i][1].(float64)
		if math.Abs(float64(r.Score)-ws) > tol*(1+math.Abs(ws)) {
			t.Errorf("rank %d: got %s %.7f, want %s %.7f", i, word, r.Score, want[i][0], ws)
			continue
		}
		if s, ok := wantScore[word]; ok {
			if math.Abs(float64(r.Score)-s) > tol*(1+math.Abs(s)) {
				t.Errorf("rank %d: %s score %.7f, gensim %.7f", i, word, r.Score, s)
			}
		} else if math.Abs(float64(r.Score)-last) > tol*(1+math.Abs(last)) {
			t.Errorf("rank %d: got %s %.7f, not in gensim's answer %v", i, word, r.Score, want)
		}
	}
}

func TestFlat_Errors(t *testing.T) {
	ctx := context.Background()
	f := mustFlat(t, 3, index.Cosine, []uint32{1, 2}, []float32{1, 0, 0, 0, 1, 0})
	empty, _ := index.NewFlat(3, index.Cosine)
	nan := float32(math.NaN())
	tests := []struct {
		name    string
		ix      *index.Flat
		q       []float32
		k       int
		wantErr error
	}{
		{"ErrDimMismatch", f, []float32{1, 0}, 1, index.ErrDimensionMismatch},
		{"ErrNaN", f, []float32{1, nan, 0}, 1, index.ErrNotFinite},
		{"ErrZeroVector", f, []float32{0, 0, 0}, 1, index.ErrZeroVector},
		{"ErrK0", f, []float32{1, 0, 0}, 0, index.ErrInvalidK},
		{"ErrKNegative", f, []float32{1, 0, 0}, -3, index.ErrInvalidK},
		{"ErrEmpty", empty, []float32{1, 0, 0}, 1, index.ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.ix.Search(ctx, tt.q, tt.k, index.SearchOptions{})
			if !errors.Is(err, tt.wantErr) || got != nil {
				t.Fatalf("Search(%v, %d) = %v, %v, want %v", tt.q, tt.k, got, err, tt.wantErr)
			}
		})
	}
	addTests := []struct {
		name    string
		ids     []uint32
		vecs    []float32
		wantErr error
	}{
		{"ErrDimMismatch", []uint32{5}, []float32{1, 2}, index.ErrDimensionMismatch},
		{"ErrLength", []uint32{5, 6}, []float32{1, 2, 3, 4}, index.ErrDimensionMismatch},
		{"ErrInf", []uint32{5}, []float32{1, float32(math.Inf(1)), 0}, index.ErrNotFinite},
		{"ErrDuplicateExisting", []uint32{2}, []float32{1, 1, 1}, index.ErrDuplicateID},
		{"ErrDuplicateInBatch", []uint32{7, 7}, []float32{1, 1, 1, 1, 1, 1}, index.ErrDuplicateID},
	}
	for _, tt := range addTests {
		t.Run("Add"+tt.name, func(t *testing.T) {
			if err := f.Add(ctx, tt.ids, tt.vecs); !errors.Is(err, tt.wantErr) {
				t.Fatalf("Add(%v, %v) = %v, want %v", tt.ids, tt.vecs, err, tt.wantErr)
			}
			if got := f.Len(); got != 2 {
				t.Fatalf("Len() after failed Add = %d, want 2", got)
			}
		})
	}
	if err := f.Delete(99); !errors.Is(err, index.ErrNotFound) {
		t.Fatalf("Delete(99) = %v, want ErrNotFound", err)
	}
	if _, err := index.NewFlat(0, index.Cosine); !errors.Is(err, index.ErrInvalidOption) {
		t.Fatalf("NewFlat(0) error = %v, want ErrInvalidOption", err)
	}
	if _, err := index.NewFlat(3, 9); !errors.Is(err, index.ErrUnknownMetric) {
		t.Fatalf("NewFlat(3, 9) error = %v, want ErrUnknownMetric", err)
	}
}

func TestFlat_Search_Options(t *testing.T) {
	ctx := context.Background()
	// Row i points at angle i degrees: the nearest to angle 0 are 0, 1, 2...
	const n = 50
	ids := make([]uint32, n)
	vecs := make([]float32, 0, 2*n)
	for i := range n {
		ids[i] = uint32(100 + i)
		a := float64(i) * math.Pi / 180
		vecs = append(vecs, float32(math.Cos(a)), float32(math.Sin(a)))
	}
	f := mustFlat(t, 2, index.Cosine, ids, vecs)
	h, err := index.Build(ctx, 2, ids, vecs, index.Options{Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		k    int
		opts index.SearchOptions
		want []uint32
	}{
		{"Plain", 3, index.SearchOptions{}, []uint32{100, 101, 102}},
		{"Exclude", 3, index.SearchOptions{Exclude: []uint32{100, 102}}, []uint32{101, 103, 104}},
		{"Filter", 3, index.SearchOptions{Filter: func(id uint32) bool { return id%2 == 1 }}, []uint32{101, 103, 105}},
		{"KLargerThanTable", 1000, index.SearchOptions{Filter: func(id uint32) bool { return id >= 147 }}, []uint32{147, 148, 149}},
		{"FilterRejectsAll", 5, index.SearchOptions{Filter: func(uint32) bool { return false }}, []uint32{}},
	}
	for _, ix := range []index.Index{f, h} {
		for _, tt := range tests {
			t.Run(typeName(ix)+"/"+tt.name, func(t *testing.T) {
				res, err := ix.Search(ctx, []float32{1, 0}, tt.k, tt.opts)
				if err != nil {
					t.Fatal(err)
				}
				got := []uint32{}
				for _, r := range res {
					got = append(got, r.ID)
				}
				if !slicesEqual(got, tt.want) {
					t.Fatalf("Search(k=%d) = %v, want %v", tt.k, got, tt.want)
				}
				for i := 1; i < len(res); i++ {
					if res[i].Score > res[i-1].Score {
						t.Fatalf("results not sorted best first: %v", res)
					}
				}
			})
		}
	}
}

func typeName(ix index.Index) string {
	switch ix.(type) {
	case *index.Flat:
		return "Flat"
	case *index.HNSW:
		return "HNSW"
	}
	return "Unknown"
}

func slicesEqual(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFlat_Delete(t *testing.T) {
	ctx := context.Background()
	vecs := clustered(3, 500, 8)
	ids := seqIDs(500)
	f := mustFlat(t, 8, index.Euclidean, ids, vecs)
	for id := uint32(0); id < 500; id += 3 {
		if err := f.Delete(id); err != nil {
			t.Fatal(err)
		}
	}
	// The oracle: a fresh index of the remaining rows.
	var keepIDs []uint32
	var keepVecs []float32
	for i := range 500 {
		if i%3 != 0 {
			keepIDs = append(keepIDs, uint32(i))
			keepVecs = append(keepVecs, vecs[i*8:(i+1)*8]...)
		}
	}
	want := mustFlat(t, 8, index.Euclidean, keepIDs, keepVecs)
	if f.Len() != want.Len() {
		t.Fatalf("Len() = %d, want %d", f.Len(), want.Len())
	}
	for i := range 20 {
		q := vecs[i*8 : (i+1)*8]
		got, _ := f.Search(ctx, q, 10, index.SearchOptions{})
		exp, _ := want.Search(ctx, q, 10, index.SearchOptions{})
		if len(got) != len(exp) {
			t.Fatalf("query %d: %v, want %v", i, got, exp)
		}
		for j := range got {
			if got[j] != exp[j] {
				t.Fatalf("query %d: %v, want %v", i, got, exp)
			}
		}
	}
	if v, ok := f.Vector(1); !ok || v[0] != vecs[8] {
		t.Fatalf("Vector(1) = %v, %v, want %v", v, ok, vecs[8:16])
	}
	if _, ok := f.Vector(0); ok {
		t.Fatal("Vector(0) found a deleted row")
	}
}

func TestFlat_WriteTo_ReadFlat(t *testing.T) {
	vecs := clustered(4, 300, 16)
	f := mustFlat(t, 16, index.Dot, seqIDs(300), vecs)
	var buf strings.Builder
	n, err := f.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteTo = %d, %v; wrote %d bytes", n, err, buf.Len())
	}
	g, err := index.ReadFlat(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 300 || g.Dim() != 16 || g.Metric() != index.Dot {
		t.Fatalf("ReadFlat: Len %d Dim %d Metric %v, want 300 16 dot", g.Len(), g.Dim(), g.Metric())
	}
	q := vecs[:16]
	a, _ := f.Search(context.Background(), q, 10, index.SearchOptions{})
	b, _ := g.Search(context.Background(), q, 10, index.SearchOptions{})
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("after ReadFlat: %v, want %v", b, a)
		}
	}
	if _, err := index.ReadHNSW(strings.NewReader(buf.String())); !errors.Is(err, index.ErrCorrupt) {
		t.Fatalf("ReadHNSW(flat data) = %v, want ErrCorrupt", err)
	}
}

// TestFlat_Concurrent runs searches while rows are added and deleted; run
// it with -race.
func TestFlat_Concurrent(t *testing.T) {
	ctx := context.Background()
	const dim = 16
	vecs := clustered(5, 2000, dim)
	f := mustFlat(t, dim, index.Cosine, seqIDs(1000), vecs[:1000*dim])
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				q := vecs[((g*200+i)%2000)*dim:][:dim]
				if _, err := f.Search(ctx, q, 5, index.SearchOptions{}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for i := 1000; i < 2000; i += 10 {
		if err := f.Add(ctx, seqIDs(2000)[i:i+10], vecs[i*dim:(i+10)*dim]); err != nil {
			t.Fatal(err)
		}
		if err := f.Delete(uint32(i - 1000)); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if got := f.Len(); got != 1900 {
		t.Fatalf("Len() = %d, want 1900", got)
	}
}
