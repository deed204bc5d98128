package vecfile

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// readAllRows reads every row of r.
func readAllRows(r *Reader) (words []string, raw []byte, err error) {
	err = r.Read(context.Background(), func(b *Batch) error {
		words = append(words, b.Words...)
		raw = append(raw, b.Data...)
		return nil
	})
	return words, raw, err
}

// binaryTestFile returns a word2vec binary file of n rows of dimension
// dim: words of 1 to 3000 bytes, some rows followed by a newline (the C
// tool's layout), some not (gensim's).
func binaryTestFile(n, dim int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := []byte(strings.Join([]string{strconv.Itoa(n), strconv.Itoa(dim)}, " ") + "\n")
	for i := range n {
		word := "w" + strconv.Itoa(i) + strings.Repeat("x", rng.IntN(3)*rng.IntN(1500))
		b = append(b, word+" "...)
		for range dim {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(rng.Float32()))
		}
		if rng.IntN(2) == 0 {
			b = append(b, '\n')
		}
	}
	return b
}

// TestWindow_MappedAndRead reads the same word2vec binary file mapped
// (Open) and through ReadAt buffers of several sizes (NewReader), words
// crossing the buffers' edges, and wants the same rows from each.
func TestWindow_MappedAndRead(t *testing.T) {
	data := binaryTestFile(3000, 7, 1)
	path := filepath.Join(t.TempDir(), "v.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, ReadOptions{Binary: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	words, raw, err := readAllRows(r)
	if err != nil || len(words) != 3000 || len(raw) != 3000*7*4 {
		t.Fatalf("mapped: %d words, %d bytes, %v", len(words), len(raw), err)
	}
	if runtime.GOOS == "linux" && r.mapping == nil {
		t.Fatal("Open did not map the file")
	}
	old := windowBlock
	defer func() { windowBlock = old }()
	for _, block := range []int{1, 100, 4097, 1 << 20} {
		windowBlock = block
		nr, err := NewReader(bytes.NewReader(data), int64(len(data)), "v.bin", ReadOptions{Binary: true})
		if err != nil {
			t.Fatal(err)
		}
		w2, raw2, err := readAllRows(nr)
		if err != nil || !slices.Equal(w2, words) || !bytes.Equal(raw2, raw) {
			t.Fatalf("block %d: %d words, %d bytes, %v; differ from the mapped read", block, len(w2), len(raw2), err)
		}
	}
}

// TestWindow_FileCutShort cuts a file short after it was opened: the read
// fails with ErrTruncated, mapped (where touching the lost pages faults)
// and read alike, and the process goes on.
func TestWindow_FileCutShort(t *testing.T) {
	data := binaryTestFile(2000, 50, 2)
	for _, mapped := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "v.bin")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var r *Reader
		var err error
		if mapped {
			r, err = Open(path, ReadOptions{Binary: true})
		} else {
			f, ferr := os.Open(path)
			if ferr != nil {
				t.Fatal(ferr)
			}
			defer f.Close()
			r, err = NewReader(f, int64(len(data)), path, ReadOptions{Binary: true})
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, int64(len(data)/3)); err != nil {
			t.Fatal(err)
		}
		_, _, err = readAllRows(r)
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("mapped %v: read of a file cut short: %v, want ErrTruncated", mapped, err)
		}
		r.Close()
	}
}
