package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestWordIndex runs random puts and removes against the chunked words
// index and a map, with chunks small enough to split and re-key often, and
// checks gets, ordered scans and the chunk invariants after each batch,
// with values sealed (format 2) and not (format 1).
func TestWordIndex(t *testing.T) {
	for _, sums := range []bool{false, true} {
		t.Run(fmt.Sprintf("sums=%v", sums), func(t *testing.T) { testWordIndex(t, sums) })
	}
}

func testWordIndex(t *testing.T, sums bool) {
	bdb, err := bolt.Open(filepath.Join(t.TempDir(), "w.db"), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	model := map[string]uint32{}
	word := func() string { return fmt.Sprintf("%c%d", 'a'+rng.IntN(26), rng.IntN(3000)) }
	for batch := 0; batch < 30; batch++ {
		err := bdb.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("words"))
			if err != nil {
				return err
			}
			// Neighbours in the same bucket that the index must not see.
			for _, k := range []string{"\x00zz", "\x02aa", "info", "\x01"[:0] + "\x03"} {
				if err := b.Put([]byte(k), []byte("other")); err != nil {
					return err
				}
			}
			x := wordIndex{keyspace{&Table{b: b, sums: sums}, KsWords}}
			for i := 0; i < 400; i++ {
				w := word()
				if _, ok := model[w]; ok && rng.IntN(2) == 0 {
					if err := x.remove(w); err != nil {
						return err
					}
					delete(model, w)
				} else if !ok {
					id := uint32(rng.IntN(1 << 30))
					if err := x.put(w, id, int64(id)*3); err != nil {
						return err
					}
					model[w] = id
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		bdb.View(func(tx *bolt.Tx) error {
			x := wordIndex{keyspace{&Table{b: tx.Bucket([]byte("words")), sums: sums}, KsWords}}
			for i := 0; i < 200; i++ {
				w := word()
				id, count, ok, err := x.get(w)
				want, wantOK := model[w]
				if err != nil || ok != wantOK || id != want || (ok && count != int64(want)*3) {
					t.Fatalf("get(%q) = %d, %v, %v; want %d, %v", w, id, ok, err, want, wantOK)
				}
			}
			var got []string
			x.Scan("", func(w []byte, id uint32) bool {
				if model[string(w)] != id {
					t.Fatalf("scan: %q -> %d, want %d", w, id, model[string(w)])
				}
				got = append(got, string(w))
				return true
			})
			var want []string
			for w := range model {
				want = append(want, w)
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("scan gave %d words, want %d in order", len(got), len(want))
			}
			// A scan from a prefix starts at the first word >= it.
			from := "m5"
			i, _ := slices.BinarySearch(want, from)
			var tail []string
			x.Scan(from, func(w []byte, _ uint32) bool { tail = append(tail, string(w)); return len(tail) < 5 })
			if !slices.Equal(tail, want[i:min(i+5, len(want))]) {
				t.Fatalf("scan(%q) = %v, want %v", from, tail, want[i:min(i+5, len(want))])
			}
			c := x.b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				es, ok := decodeWordChunk(v)
				if !ok || len(es) == 0 || es[0].word != string(k) || len(v) > wordChunkMax+64 {
					t.Fatalf("chunk %q: %d entries, %d bytes, ok %v", k, len(es), len(v), ok)
				}
			}
			return nil
		})
	}
}

func TestWordChunker(t *testing.T) {
	var es []wordEntry
	for i := 0; i < 50000; i++ {
		es = append(es, wordEntry{fmt.Sprintf("w%07d", i), uint32(i), int64(i)})
	}
	var c wordChunker
	for _, e := range es {
		c.add(e)
	}
	c.flush()
	var n int
	var last string
	for i, k := range c.keys {
		got, ok := decodeWordChunk(c.vals[i])
		if !ok || got[0].word != string(k) || string(k) <= last {
			t.Fatalf("bad chunk %q", k)
		}
		last = got[len(got)-1].word
		n += len(got)
	}
	if n != len(es) {
		t.Fatalf("wordChunker: %d entries, want %d", n, len(es))
	}
}

func TestWordIndex_Table(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	d.CreateTable(ctx, "t", TableSpec{Dim: 1})
	var rows []Row
	for i := 0; i < 3000; i++ {
		rows = append(rows, Row{Word: fmt.Sprintf("word%d", i), Vector: []float32{1}})
	}
	if err := d.Insert(ctx, "t", rows...); err != nil {
		t.Fatal(err)
	}
	got, err := d.WordsWithPrefix(ctx, "t", "word29", 4)
	if err != nil || strings.Join(got, ",") != "word29,word290,word2900,word2901" {
		t.Fatalf("WordsWithPrefix = %v, %v", got, err)
	}
	if p, err := d.Check(ctx); err != nil || len(p) > 0 {
		t.Fatalf("Check = %v, %v", p, err)
	}
}
