package index_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/internal/vec"
)

// TestFlatElem_MatchesFloat32 checks that a Flat keeping float16 or
// bfloat16 rows answers as a float32 Flat holding the same (rounded)
// values: the same rows, scores equal to rounding, under every metric,
// with dims that leave kernel tails, after deletions, and that Vector
// returns the widened row.
func TestFlatElem_MatchesFloat32(t *testing.T) {
	ctx := context.Background()
	for _, elem := range []index.Elem{index.ElemFloat16, index.ElemBFloat16} {
		for _, m := range []index.Metric{index.Cosine, index.Dot, index.Euclidean} {
			for _, dim := range []int{3, 8, 100, 300} {
				t.Run(fmt.Sprintf("%v/%v/dim=%d", elem, m, dim), func(t *testing.T) {
					const n = 700
					vecs := clustered(3, n, dim)
					raw := make([]byte, len(vecs)*2)
					elem.Encode(raw, vecs)
					elem.Decode(vecs, raw) // the values a 16-bit table holds
					ids := seqIDs(n)
					f32 := mustFlat(t, dim, m, ids, vecs)
					h, err := index.NewFlatElem(dim, m, elem)
					if err != nil {
						t.Fatal(err)
					}
					if err := h.Add(ctx, ids, vecs); err != nil {
						t.Fatal(err)
					}
					for _, id := range []uint32{5, 699, 0} {
						if err := f32.Delete(id); err != nil {
							t.Fatal(err)
						}
						if err := h.Delete(id); err != nil {
							t.Fatal(err)
						}
					}
					for qi := 0; qi < 20; qi++ {
						q := vecs[(qi*31+7)*dim : (qi*31+8)*dim]
						want, err := f32.Search(ctx, q, 10, index.SearchOptions{})
						if err != nil {
							t.Fatal(err)
						}
						got, err := h.Search(ctx, q, 10, index.SearchOptions{})
						if err != nil {
							t.Fatal(err)
						}
						if len(got) != len(want) {
							t.Fatalf("query %d: %d results, want %d", qi, len(got), len(want))
						}
						for i := range want {
							tol := 1e-4 * math.Max(1, math.Abs(float64(want[i].Score)))
							if math.Abs(float64(got[i].Score-want[i].Score)) > tol {
								t.Errorf("query %d result %d: score %v, want %v", qi, i, got[i].Score, want[i].Score)
							}
							if got[i].ID != want[i].ID && math.Abs(float64(got[i].Score-want[i].Score)) > tol/10 {
								t.Errorf("query %d result %d: row %d, want %d", qi, i, got[i].ID, want[i].ID)
							}
						}
					}
					for _, id := range []uint32{1, 698} {
						a, _ := f32.Vector(id)
						b, ok := h.Vector(id)
						if !ok {
							t.Fatalf("Vector(%d) missing", id)
						}
						for i := range a {
							if math.Abs(float64(a[i]-b[i])) > 1e-6 {
								t.Fatalf("Vector(%d)[%d] = %v, want %v", id, i, b[i], a[i])
							}
						}
					}
					var file bytes.Buffer
					if _, err := h.WriteTo(&file); err != nil {
						t.Fatal(err)
					}
					back, err := index.ReadFlat(&file)
					if err != nil {
						t.Fatalf("ReadFlat of a 16-bit index: %v", err)
					}
					if back.Len() != h.Len() {
						t.Fatalf("read back %d rows, want %d", back.Len(), h.Len())
					}
					q := vecs[7*dim : 8*dim]
					a, _ := h.Search(ctx, q, 5, index.SearchOptions{})
					b, _ := back.Search(ctx, q, 5, index.SearchOptions{})
					for i := range a {
						if math.Abs(float64(a[i].Score-b[i].Score)) > 1e-4*math.Max(1, math.Abs(float64(a[i].Score))) {
							t.Errorf("read back: result %d = %v, want %v", i, b[i], a[i])
						}
					}
					if _, ok := h.Vector(5); ok {
						t.Error("deleted row 5 still has a vector")
					}
					if h.MemoryBytes() >= f32.MemoryBytes() {
						t.Errorf("16-bit index takes %d bytes, float32 %d", h.MemoryBytes(), f32.MemoryBytes())
					}
				})
			}
		}
	}
	if _, err := index.NewFlatElem(4, index.Cosine, vec.Elem(9)); err == nil {
		t.Error("NewFlatElem accepted an invalid element type")
	}
}
