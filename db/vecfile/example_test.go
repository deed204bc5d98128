package vecfile_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/embeddb/embeddb/db/vecfile"
)

// ExampleCreate exports three vectors as word2vec text, the format gensim's
// KeyedVectors.load_word2vec_format reads.
func ExampleCreate() {
	dir, _ := os.MkdirTemp("", "vecfile-example-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "vectors.txt")

	w, err := vecfile.Create(path, 3, 2, vecfile.DefaultWriteOptions())
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Write([]string{"cat", "dog", "fish"}, []float32{0.1, 0.2, 0.1, 0.25, -1e-7, 3}); err != nil {
		w.Abort()
		log.Fatal(err)
	}
	if err := w.Close(); err != nil { // renames the file into place
		log.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	fmt.Print(string(b))
	// Output:
	// 3 2
	// cat 0.1 0.2
	// dog 0.1 0.25
	// fish -1e-07 3
}

// ExampleOpen imports a word2vec file batch by batch, as a bulk loader does.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "vecfile-example-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "vectors.vec")
	os.WriteFile(path, []byte("2 3\nhello 1 0 0 \nworld 0 1 nan \n"), 0o644)

	r, err := vecfile.Open(path, vecfile.DefaultReadOptions())
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	fmt.Println(h.Format, h.Rows, h.Dim, h.DType)
	err = r.Read(context.Background(), func(b *vecfile.Batch) error {
		for i, word := range b.Words {
			row := b.Data[i*h.Dim*4 : (i+1)*h.Dim*4] // reused after the callback: copy it
			v := make([]float32, h.Dim)
			for j := range v {
				v[j] = math.Float32frombits(binary.LittleEndian.Uint32(row[4*j:]))
			}
			fmt.Println(b.Start+i, word, v)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	st := r.Stats()
	fmt.Println("rows:", st.Rows, "non-finite:", st.NonFinite, "first at row", st.FirstNonFinite)
	// Output:
	// word2vec 2 3 float32
	// 0 hello [1 0 0]
	// 1 world [0 1 NaN]
	// rows: 2 non-finite: 1 first at row 1
}
