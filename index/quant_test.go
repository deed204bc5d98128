package index_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/internal/testrace"
)

// quantRecall builds a quantized index over vecs and returns its mean
// recall@10 against Flat over every step-th row as a query (the row itself
// excluded, as most_similar does), checking on the way that every score it
// returns is the exact score Flat gives that row.
func quantRecall(t *testing.T, dim int, vecs []float32, o index.Options, so index.SearchOptions, step int) float64 {
	t.Helper()
	ctx := context.Background()
	n := len(vecs) / dim
	ids := seqIDs(n)
	h, err := index.Build(ctx, dim, ids, vecs, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := mustFlat(t, dim, o.Metric, ids, vecs)
	var sum float64
	queries := 0
	for i := 0; i < n; i += step {
		so.Exclude = []uint32{uint32(i)}
		q := vecs[i*dim : (i+1)*dim]
		got, err := h.Search(ctx, q, 10, so)
		if err != nil {
			t.Fatal(err)
		}
		want, err := f.Search(ctx, q, 10, so)
		if err != nil {
			t.Fatal(err)
		}
		// Flat's scores of the rows returned: a search filtered to them.
		in := map[uint32]bool{}
		for _, r := range got {
			in[r.ID] = true
		}
		exact := map[uint32]float32{}
		mine, _ := f.Search(ctx, q, len(got), index.SearchOptions{Filter: func(id uint32) bool { return in[id] }})
		for _, r := range mine {
			exact[r.ID] = r.Score
		}
		for _, r := range got {
			if d := r.Score - exact[r.ID]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("row %d: rescored score %v, Flat's %v", r.ID, r.Score, exact[r.ID])
			}
		}
		sum += recallAt(got, want)
		queries++
	}
	return sum / float64(queries)
}

// TestHNSW_Quantized_Recall measures recall@10 of quantized search with
// rescoring on real word vectors (the gensim model of the golden test) and
// on 256-d clustered vectors, through the graph and by an exact scan of
// the codes.
func TestHNSW_Quantized_Recall(t *testing.T) {
	testrace.Skip(t)
	wv := readWordVectors(t, filepath.Join("testdata", "lee24.txt"))
	synth := clustered(21, 4000, 256)
	lat := latent(22, 4000, 256, 32)
	cases := []struct {
		name  string
		dim   int
		vecs  []float32
		o     index.Options
		so    index.SearchOptions
		floor float64
	}{
		{"Words/Int8/Cosine", wv.dim, wv.vecs, index.Options{Quantization: index.QuantInt8}, index.SearchOptions{}, 0.97},
		{"Words/Int8/Euclidean", wv.dim, wv.vecs, index.Options{Quantization: index.QuantInt8, Metric: index.Euclidean}, index.SearchOptions{}, 0.97},
		{"Words/Int8/Dot", wv.dim, wv.vecs, index.Options{Quantization: index.QuantInt8, Metric: index.Dot}, index.SearchOptions{}, 0.95},
		{"Words/Int8/Exact", wv.dim, wv.vecs, index.Options{Quantization: index.QuantInt8}, index.SearchOptions{Exact: true}, 0.99},
		// 24 bits a word are few: binary codes need a deep rescore here.
		{"Words/Binary/Rescore16", wv.dim, wv.vecs, index.Options{Quantization: index.QuantBinary, Rescore: 16}, index.SearchOptions{EfSearch: 200}, 0.75},
		{"Synth256/Int8", 256, synth, index.Options{Quantization: index.QuantInt8}, index.SearchOptions{}, 0.95},
		{"Latent256/Binary", 256, lat, index.Options{Quantization: index.QuantBinary}, index.SearchOptions{}, 0.85},
		{"Latent256/Binary/Rescore8", 256, lat, index.Options{Quantization: index.QuantBinary, Rescore: 8}, index.SearchOptions{}, 0.93},
		{"Latent256/Binary/Exact", 256, lat, index.Options{Quantization: index.QuantBinary}, index.SearchOptions{Exact: true}, 0.85},
		{"Latent256/Int8", 256, lat, index.Options{Quantization: index.QuantInt8}, index.SearchOptions{}, 0.95},
		{"Synth256/None/Exact", 256, synth, index.Options{}, index.SearchOptions{Exact: true}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := c.o
			o.Workers, o.Seed = 1, 1
			got := quantRecall(t, c.dim, c.vecs, o, c.so, 7)
			t.Logf("recall@10 = %.4f", got)
			if got < c.floor {
				t.Errorf("recall@10 = %.4f, want >= %.2f", got, c.floor)
			}
		})
	}
}

// latent returns n vectors of length dim with intrinsic dimension r, as
// embeddings of text models have: x = A·z + noise, z ~ N(0, I_r), A a fixed
// random dim × r matrix, noise N(0, 0.1²). (Tight clusters, as clustered
// makes, are the worst case for binary codes: the bits of a cluster's rows
// mostly follow its centre.)
func latent(seed uint64, n, dim, r int) []float32 {
	a := make([]float32, 0, dim*r)
	rng := rand.New(rand.NewPCG(seed, 11))
	for range dim * r {
		a = append(a, float32(rng.NormFloat64()))
	}
	v := make([]float32, n*dim)
	z := make([]float32, r)
	for i := range n {
		for j := range z {
			z[j] = float32(rng.NormFloat64())
		}
		for d := range dim {
			s := float32(0.1 * rng.NormFloat64())
			for j, zj := range z {
				s += a[d*r+j] * zj
			}
			v[i*dim+d] = s
		}
	}
	return v
}

// buildQuant builds a small quantized index for the codec tests.
func buildQuant(t testing.TB, q index.Quantization, m index.Metric, n, dim int) (*index.HNSW, []float32) {
	t.Helper()
	vecs := clustered(31, n, dim)
	h, err := index.Build(context.Background(), dim, seqIDs(n), vecs,
		index.Options{M: 4, EfConstruction: 16, Quantization: q, Metric: m, Rescore: 3, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h, vecs
}

func source(vecs []float32, dim int) func(uint32, []float32) error {
	return func(id uint32, dst []float32) error {
		if int(id+1)*dim > len(vecs) {
			return fmt.Errorf("no row %d", id)
		}
		copy(dst, vecs[int(id)*dim:int(id+1)*dim])
		return nil
	}
}

// TestHNSW_Quantized_RoundTrip writes quantized indexes with and without
// their vectors, reads them back, and checks that they answer as before
// (rescoring from SearchOptions.Vectors when the vectors were dropped).
func TestHNSW_Quantized_RoundTrip(t *testing.T) {
	ctx := context.Background()
	const n, dim = 500, 70 // 70: codes padded to 80 bytes, binary to 2 words
	for _, q := range []index.Quantization{index.QuantInt8, index.QuantBinary} {
		for _, m := range []index.Metric{index.Cosine, index.Euclidean} {
			t.Run(q.String()+"/"+m.String(), func(t *testing.T) {
				h, vecs := buildQuant(t, q, m, n, dim)
				src := source(vecs, dim)
				before := make([][]index.Result, 0, 20)
				for i := range 20 {
					r, err := h.Search(ctx, vecs[i*dim:(i+1)*dim], 5, index.SearchOptions{})
					if err != nil {
						t.Fatal(err)
					}
					before = append(before, r)
				}
				var full bytes.Buffer
				if _, err := h.WriteTo(&full); err != nil {
					t.Fatal(err)
				}
				if err := h.DropVectors(); err != nil {
					t.Fatal(err)
				}
				var small bytes.Buffer
				if _, err := h.WriteTo(&small); err != nil {
					t.Fatal(err)
				}
				if small.Len() >= full.Len()-n*dim*4+100 {
					t.Errorf("without vectors the index takes %d bytes, with %d", small.Len(), full.Len())
				}
				for name, data := range map[string][]byte{"WithVectors": full.Bytes(), "CodesOnly": small.Bytes()} {
					g, err := index.ReadHNSW(bytes.NewReader(data))
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if got := g.Options(); got.Quantization != q || got.Rescore != 3 {
						t.Fatalf("%s: options %+v", name, got)
					}
					if g.HasVectors() != (name == "WithVectors") {
						t.Fatalf("%s: HasVectors = %v", name, g.HasVectors())
					}
					if !g.HasVectors() {
						_, err := g.Search(ctx, vecs[:dim], 5, index.SearchOptions{})
						if !errors.Is(err, index.ErrInvalidOption) {
							t.Fatalf("%s: search without a vector source = %v, want ErrInvalidOption", name, err)
						}
						if err := g.Add(ctx, []uint32{n}, vecs[:dim]); !errors.Is(err, index.ErrInvalidOption) {
							t.Fatalf("%s: Add = %v, want ErrInvalidOption", name, err)
						}
					}
					for i, want := range before {
						got, err := g.Search(ctx, vecs[i*dim:(i+1)*dim], 5, index.SearchOptions{Vectors: src})
						if err != nil {
							t.Fatal(err)
						}
						if fmt.Sprint(got) != fmt.Sprint(want) {
							t.Fatalf("%s: query %d: %v after reading back, %v before", name, i, got, want)
						}
					}
					for id := range uint32(n) {
						if err := g.CheckCodes(id, vecs[int(id)*dim:int(id+1)*dim]); err != nil {
							t.Fatalf("%s: CheckCodes(%d): %v", name, id, err)
						}
					}
					// A vector that changed no longer matches its code.
					v := append([]float32(nil), vecs[:dim]...)
					for j := range v {
						v[j] = -v[j]
					}
					if err := g.CheckCodes(0, v); !errors.Is(err, index.ErrCorrupt) {
						t.Fatalf("%s: CheckCodes(changed vector) = %v, want ErrCorrupt", name, err)
					}
				}
			})
		}
	}
}

// TestReadHNSW_Quantized_Corrupt: every truncation and flipped byte of a
// quantized index is refused, never loaded or panicking.
func TestReadHNSW_Quantized_Corrupt(t *testing.T) {
	for _, q := range []index.Quantization{index.QuantInt8, index.QuantBinary} {
		h, _ := buildQuant(t, q, index.Cosine, 120, 20)
		if err := h.DropVectors(); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := h.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		for cut := 0; cut < len(data); cut += 1 + cut/8 {
			if _, err := index.ReadHNSW(bytes.NewReader(data[:cut])); !errors.Is(err, index.ErrCorrupt) {
				t.Fatalf("%v: ReadHNSW(first %d of %d bytes) = %v, want ErrCorrupt", q, cut, len(data), err)
			}
		}
		for i := 0; i < len(data); i += 1 + i/32 {
			bad := bytes.Clone(data)
			bad[i] ^= 0x21
			if _, err := index.ReadHNSW(bytes.NewReader(bad)); err == nil {
				t.Fatalf("%v: ReadHNSW with byte %d flipped succeeded", q, i)
			}
		}
		if _, err := index.ReadIndex(bytes.NewReader(data)); err != nil {
			t.Fatalf("%v: ReadIndex: %v", q, err)
		}
	}
}

func TestHNSW_Quantized_Options(t *testing.T) {
	var o index.Options
	for _, c := range []struct {
		name string
		v    any
		ok   bool
	}{
		{"quantization", "int8", true}, {"quantization", "BINARY", true}, {"quantization", "none", true},
		{"quantization", "int4", false}, {"quantization", int64(8), false},
		{"rescore", int64(4), true}, {"rescore", 2.5, false},
	} {
		if err := o.Set(c.name, c.v); (err == nil) != c.ok {
			t.Errorf("Set(%s, %v) = %v", c.name, c.v, err)
		}
	}
	for _, r := range []int{-1, index.MaxRescore + 1} {
		if err := (index.Options{Rescore: r}).Validate(); !errors.Is(err, index.ErrInvalidOption) {
			t.Errorf("Validate(rescore %d) = %v, want ErrInvalidOption", r, err)
		}
	}
	if err := (index.Options{Quantization: 9}).Validate(); !errors.Is(err, index.ErrInvalidOption) {
		t.Errorf("Validate(quantization 9) = %v", err)
	}
	if q, err := index.ParseQuantization(" Int8 "); err != nil || q != index.QuantInt8 || q.String() != "int8" {
		t.Errorf("ParseQuantization(Int8) = %v, %v", q, err)
	}
	h, err := index.NewHNSW(4, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.DropVectors(); !errors.Is(err, index.ErrInvalidOption) {
		t.Errorf("DropVectors on a float32 index = %v, want ErrInvalidOption", err)
	}
}

// TestHNSW_Quantized_Memory: codes without vectors cost a fraction of the
// float32 index.
func TestHNSW_Quantized_Memory(t *testing.T) {
	const n, dim = 2000, 128
	vecs := clustered(41, n, dim)
	f32, err := index.Build(context.Background(), dim, seqIDs(n), vecs, index.Options{Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []index.Quantization{index.QuantInt8, index.QuantBinary} {
		h, err := index.Build(context.Background(), dim, seqIDs(n), vecs, index.Options{Workers: 1, Quantization: q}, nil)
		if err != nil {
			t.Fatal(err)
		}
		with := h.MemoryBytes()
		if err := h.DropVectors(); err != nil {
			t.Fatal(err)
		}
		without := h.MemoryBytes()
		// The vectors go, and the frozen graph's layer-0 links are packed.
		if got := with - without; got <= int64(n*dim*4) {
			t.Errorf("%v: dropping the vectors freed %d bytes, want more than their %d", q, got, n*dim*4)
		}
		ratio := float64(without) / float64(f32.MemoryBytes())
		t.Logf("%v: %d bytes, %.3f of float32's %d; %d code bytes a row", q, without, ratio, f32.MemoryBytes(), h.CodeBytes())
		if ratio > 0.35 {
			t.Errorf("%v: memory ratio %.3f, want <= 0.35", q, ratio)
		}
	}
}

func FuzzReadHNSW_Quantized(f *testing.F) {
	ctx := context.Background()
	for _, q := range []index.Quantization{index.QuantInt8, index.QuantBinary} {
		for _, n := range []int{0, 1, 30} {
			h, err := index.Build(ctx, 3, seqIDs(n), clustered(17, n, 3),
				index.Options{M: 2, EfConstruction: 4, Quantization: q, Workers: 1}, nil)
			if err != nil {
				f.Fatal(err)
			}
			for _, drop := range []bool{false, true} {
				if drop {
					if err := h.DropVectors(); err != nil {
						f.Fatal(err)
					}
				}
				var buf bytes.Buffer
				if _, err := h.WriteTo(&buf); err != nil {
					f.Fatal(err)
				}
				f.Add(buf.Bytes())
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := index.ReadHNSW(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, index.ErrCorrupt) && !errors.Is(err, index.ErrVersion) {
				t.Fatalf("ReadHNSW error %v wraps neither ErrCorrupt nor ErrVersion", err)
			}
			return
		}
		q := make([]float32, h.Dim())
		q[0] = 1
		src := func(id uint32, dst []float32) error { copy(dst, q); return nil }
		for _, exact := range []bool{false, true} {
			_, err := h.Search(ctx, q, 5, index.SearchOptions{Vectors: src, Exact: exact})
			if err != nil && !errors.Is(err, index.ErrEmpty) {
				t.Fatalf("Search on loaded index: %v", err)
			}
		}
		if h.HasVectors() {
			if err := h.Add(ctx, []uint32{1 << 31}, q); err != nil {
				t.Fatalf("Add on loaded index: %v", err)
			}
		}
	})
}
