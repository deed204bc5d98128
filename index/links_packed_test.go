package index_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/embeddb/embeddb/index"
)

// TestHNSW_PackedLinks checks that dropping a quantized index's vectors
// packs its layer-0 links and compacts its int8 codes without changing
// them: the same neighbours for every row, codes that still match their
// vectors, the same answers, a smaller index, and a file that reads back
// frozen and writes the same bytes; for int8 and binary codes, dims that
// are and are not a multiple of 16, and a metric that needs the codes'
// squared lengths and one that does not.
func TestHNSW_PackedLinks(t *testing.T) {
	ctx := context.Background()
	type config struct {
		n, dim int
		q      index.Quantization
		m      index.Metric
	}
	var configs []config
	for _, n := range []int{1, 2, 3000} {
		configs = append(configs, config{n, 24, index.QuantInt8, index.Cosine})
	}
	configs = append(configs, config{1500, 32, index.QuantInt8, index.Euclidean},
		config{1500, 37, index.QuantInt8, index.Dot}, config{1500, 70, index.QuantBinary, index.Cosine})
	for _, c := range configs {
		n, dim := c.n, c.dim
		vecs := clustered(5, n, dim)
		h, err := index.Build(ctx, dim, seqIDs(n), vecs, index.Options{Quantization: c.q, Metric: c.m, M: 6, EfConstruction: 40}, nil)
		if err != nil {
			t.Fatal(err)
		}
		before := make([][]uint32, n)
		for id := range n {
			before[id] = index.Links0(h, uint32(id))
		}
		src := func(id uint32, dst []float32) error {
			copy(dst, vecs[int(id)*dim:int(id+1)*dim])
			return nil
		}
		var want [][]index.Result
		for i := 0; i < min(n, 50); i++ {
			r, err := h.Search(ctx, vecs[i*dim:(i+1)*dim], 5, index.SearchOptions{EfSearch: 20})
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, r)
		}
		mem := h.MemoryBytes()
		if err := h.DropVectors(); err != nil {
			t.Fatal(err)
		}
		if !index.Packed(h) {
			t.Fatalf("n=%d: links not packed after DropVectors", n)
		}
		if n > 100 && h.MemoryBytes() >= mem {
			t.Errorf("n=%d: memory %d after packing, %d before", n, h.MemoryBytes(), mem)
		}
		var file bytes.Buffer
		if _, err := h.WriteTo(&file); err != nil {
			t.Fatal(err)
		}
		back, err := index.ReadHNSW(bytes.NewReader(file.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if !index.Packed(back) {
			t.Errorf("n=%d: links not packed after ReadHNSW", n)
		}
		var again bytes.Buffer
		if _, err := back.WriteTo(&again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(file.Bytes(), again.Bytes()) {
			t.Errorf("n=%d: the read-back index writes different bytes", n)
		}
		for _, g := range []*index.HNSW{h, back} {
			for id := range n {
				if got := index.Links0(g, uint32(id)); !slices.Equal(got, before[id]) {
					t.Fatalf("n=%d row %d: links %v, want %v", n, id, got, before[id])
				}
				if err := g.CheckCodes(uint32(id), vecs[id*dim:(id+1)*dim]); err != nil {
					t.Fatalf("%+v row %d: %v", c, id, err)
				}
			}
			for i, w := range want {
				got, err := g.Search(ctx, vecs[i*dim:(i+1)*dim], 5, index.SearchOptions{EfSearch: 20, Vectors: src})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, w) {
					t.Errorf("%+v query %d: %v, want %v", c, i, got, w)
				}
			}
		}
	}
}
