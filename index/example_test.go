package index_test

import (
	"context"
	"fmt"

	"github.com/embeddb/embeddb/index"
)

// The db's NEAREST: exact search over a small table, the query word left out
// as gensim's most_similar does.
func ExampleFlat_Search() {
	ctx := context.Background()
	words := []string{"cat", "dog", "car", "truck"}
	vecs := []float32{
		1, 0.1, 0,
		0.9, 0.2, 0,
		0, 0.1, 1,
		0.1, 0, 0.9,
	}
	f, err := index.NewFlat(3, index.Cosine)
	if err != nil {
		panic(err)
	}
	if err := f.Add(ctx, []uint32{0, 1, 2, 3}, vecs); err != nil {
		panic(err)
	}
	res, err := f.Search(ctx, vecs[0:3], 2, index.SearchOptions{Exclude: []uint32{0}})
	if err != nil {
		panic(err)
	}
	for _, r := range res {
		fmt.Printf("%s %.4f\n", words[r.ID], r.Score)
	}
	// Output:
	// dog 0.9929
	// truck 0.1099
}

// An analogy, gensim's most_similar(positive=["king", "woman"],
// negative=["man"]): Combine builds the query, Exclude leaves the three
// words out.
func ExampleCombine() {
	ctx := context.Background()
	words := []string{"king", "man", "woman", "queen", "apple"}
	vecs := []float32{
		0.9, 0.8, 0.1,
		0.1, 0.9, 0.1,
		0.1, 0.1, 0.9,
		0.9, 0.1, 0.8,
		0.5, -0.5, 0,
	}
	h, err := index.Build(ctx, 3, []uint32{0, 1, 2, 3, 4}, vecs, index.DefaultOptions(), nil)
	if err != nil {
		panic(err)
	}
	q, err := index.Combine([][]float32{vecs[0:3], vecs[6:9]}, [][]float32{vecs[3:6]})
	if err != nil {
		panic(err)
	}
	res, err := h.Search(ctx, q, 1, index.SearchOptions{Exclude: []uint32{0, 1, 2}})
	if err != nil {
		panic(err)
	}
	fmt.Println(words[res[0].ID])
	// Output:
	// queen
}
