package vecfile

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// readWith reads data with a given batch size and worker count, and returns
// the words, the raw rows and the batch starts it saw.
func readWith(t *testing.T, data []byte, opts ReadOptions, batch int) ([]string, []byte, error) {
	t.Helper()
	old := batchBytes
	batchBytes = batch
	defer func() { batchBytes = old }()
	r, err := NewReader(bytes.NewReader(data), int64(len(data)), "f", opts)
	if err != nil {
		return nil, nil, err
	}
	var words []string
	var raw []byte
	err = r.Read(context.Background(), func(b *Batch) error {
		if b.Start != len(words) {
			return fmt.Errorf("batch starts at %d after %d rows", b.Start, len(words))
		}
		words = append(words, b.Words...)
		raw = append(raw, b.Data...)
		return nil
	})
	return words, raw, err
}

// randomText makes a word2vec text (or GloVe) file with awkward spacing,
// blank lines and CRLF, and returns the words and the float32 rows.
func randomText(rng *rand.Rand, rows, dim int, glove bool) ([]byte, []string) {
	var b bytes.Buffer
	if !glove {
		fmt.Fprintf(&b, "%d %d\n", rows, dim)
	}
	var words []string
	for i := range rows {
		if rng.IntN(10) == 0 && i > 0 {
			b.WriteString(strings.Repeat(" ", rng.IntN(3)) + "\n")
		}
		w := fmt.Sprintf("w%d_%s", i, strings.Repeat("é", rng.IntN(4)))
		words = append(words, w)
		b.WriteString(w)
		for range dim {
			b.WriteString(strings.Repeat(" ", 1+rng.IntN(2)))
			b.WriteString(fmt.Sprintf("%.*g", 1+rng.IntN(9), rng.NormFloat64()*1e3))
		}
		if rng.IntN(4) == 0 {
			b.WriteString(" \r")
		}
		b.WriteString("\n")
	}
	return b.Bytes(), words
}

func TestPipeline_BatchBoundaries(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tt := range []struct {
		name  string
		glove bool
		dim   int
	}{{"word2vec", false, 7}, {"glove", true, 7}, {"wide", false, 300}} {
		data, words := randomText(rng, 500, tt.dim, tt.glove)
		format := Word2VecText
		if tt.glove {
			format = GloVe
		}
		wantWords, wantRaw, err := readWith(t, data, ReadOptions{Format: format, Workers: 1}, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(wantWords, words) {
			t.Fatalf("%s: one batch read %d words, want %d", tt.name, len(wantWords), len(words))
		}
		// Batches smaller than a line make the producer grow its buffer.
		for _, batch := range []int{1, 7, 64, 333, 4096} {
			for _, workers := range []int{1, 2, 5} {
				gotWords, gotRaw, err := readWith(t, data, ReadOptions{Format: format, Workers: workers}, batch)
				if err != nil {
					t.Fatalf("%s batch %d workers %d: %v", tt.name, batch, workers, err)
				}
				if !slices.Equal(gotWords, wantWords) || !bytes.Equal(gotRaw, wantRaw) {
					t.Fatalf("%s batch %d workers %d: read differs from one batch", tt.name, batch, workers)
				}
			}
		}
		// Limits that end inside a batch.
		for _, limit := range []int{1, 13, 250, 499} {
			gotWords, gotRaw, err := readWith(t, data, ReadOptions{Format: format, Workers: 2, Limit: limit}, 100)
			if err != nil || !slices.Equal(gotWords, wantWords[:limit]) || !bytes.Equal(gotRaw, wantRaw[:limit*4*tt.dim]) {
				t.Fatalf("%s limit %d: got %d rows, %v", tt.name, limit, len(gotWords), err)
			}
		}
	}
}

// TestPipeline_ErrorLines checks that errors deep in a file name the right
// line whatever the batching, and that errors past the limit do not count.
func TestPipeline_ErrorLines(t *testing.T) {
	var b strings.Builder
	b.WriteString("400 3\n")
	for i := range 400 {
		switch i {
		case 150:
			fmt.Fprintf(&b, "w%d 1 2\n", i) // line 152: a value short
		case 300:
			fmt.Fprintf(&b, "w%d 1 x 3\n", i)
		default:
			fmt.Fprintf(&b, "w%d 1 2 3\n", i)
		}
	}
	data := []byte(b.String())
	for _, batch := range []int{1, 50, 1000, 1 << 20} {
		for _, workers := range []int{1, 3} {
			_, _, err := readWith(t, data, ReadOptions{Workers: workers}, batch)
			var fe *FormatError
			if !errors.As(err, &fe) || !errors.Is(err, ErrDimension) || fe.Line != 152 {
				t.Errorf("batch %d workers %d: err = %v, want ErrDimension on line 152", batch, workers, err)
			}
			words, _, err := readWith(t, data, ReadOptions{Workers: workers, Limit: 150}, batch)
			if err != nil || len(words) != 150 {
				t.Errorf("batch %d workers %d limit 150: %d rows, %v; want 150 rows", batch, workers, len(words), err)
			}
		}
	}
}

func TestPipeline_Binary(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var b bytes.Buffer
	const rows, dim = 300, 5
	fmt.Fprintf(&b, "%d %d\n", rows, dim)
	var words []string
	for i := range rows {
		w := fmt.Sprintf("b%d", i)
		words = append(words, w)
		b.WriteString(w + " ")
		for range dim {
			b.Write(f32le(float32(rng.NormFloat64())))
		}
		if i%2 == 0 {
			b.WriteByte('\n')
		}
	}
	data := b.Bytes()
	wantWords, wantRaw, err := readWith(t, data, ReadOptions{Format: Word2VecBinary}, 1<<30)
	if err != nil || !slices.Equal(wantWords, words) {
		t.Fatalf("one batch: %d words, %v", len(wantWords), err)
	}
	for _, batch := range []int{1, 20, 21, 100} {
		gotWords, gotRaw, err := readWith(t, data, ReadOptions{Format: Word2VecBinary}, batch)
		if err != nil || !slices.Equal(gotWords, wantWords) || !bytes.Equal(gotRaw, wantRaw) {
			t.Errorf("batch %d: read differs from one batch (%v)", batch, err)
		}
	}
}

func f32le(f float32) []byte {
	var b [4]byte
	putElem(b[:], Float32, 0, f)
	return b[:]
}

// TestCountNonFinite checks the lane-parallel scan against a plain one for
// every element type, with specials at every position.
func TestCountNonFinite(t *testing.T) {
	specials := map[DType][]uint32{
		Float32:  {0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffffffff},
		Float16:  {0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xffff},
		BFloat16: {0x7f80, 0xff80, 0x7fc0, 0x7f81, 0xffff},
	}
	finite := map[DType][]uint32{
		Float32:  {0, 0x80000000, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0x00000001},
		Float16:  {0, 0x8000, 0x7bff, 0xfbff, 0x3c00, 0x0001},
		BFloat16: {0, 0x8000, 0x7f7f, 0xff7f, 0x3f80, 0x0001},
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for dt, sp := range specials {
		size := dt.Size()
		for n := 1; n <= 13; n++ {
			for pos := -1; pos < n; pos++ {
				data := make([]byte, n*size)
				want := int64(0)
				for i := range n {
					v := finite[dt][rng.IntN(len(finite[dt]))]
					if i == pos || i > pos && pos >= 0 && rng.IntN(4) == 0 {
						v = sp[rng.IntN(len(sp))]
						want++
					}
					if size == 4 {
						binary.LittleEndian.PutUint32(data[4*i:], v)
					} else {
						binary.LittleEndian.PutUint16(data[2*i:], uint16(v))
					}
				}
				got, first := countNonFinite(data, dt, 1)
				wantFirst := pos
				if got != want || first != wantFirst {
					t.Fatalf("%v n=%d special at %d: count %d first %d, want %d %d", dt, n, pos, got, first, want, wantFirst)
				}
			}
		}
	}
}

// TestPipeline_CancelMidRead cancels a many-batch read from its callback
// and checks that Read returns the context's error and leaves no
// goroutines behind.
func TestPipeline_CancelMidRead(t *testing.T) {
	data, _ := randomText(rand.New(rand.NewPCG(8, 8)), 2000, 20, false)
	old := batchBytes
	batchBytes = 500
	defer func() { batchBytes = old }()
	for _, stopAt := range []int{1, 3, 20} {
		r, err := NewReader(bytes.NewReader(data), int64(len(data)), "c.txt", ReadOptions{Workers: 3})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		batches := 0
		err = r.Read(ctx, func(*Batch) error {
			batches++
			if batches == stopAt {
				cancel()
			}
			return nil
		})
		cancel()
		if !errors.Is(err, context.Canceled) || batches != stopAt {
			t.Errorf("cancel at batch %d: Read = %v after %d batches, want context.Canceled right away", stopAt, err, batches)
		}
		if n := pipelineGoroutines.Load(); n != 0 {
			t.Errorf("cancel at batch %d: %d pipeline goroutines still running after Read returned", stopAt, n)
		}
	}
}
