package vecfile_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/embeddb/embeddb/db/vecfile"
)

var unicodeModes = []string{"strict", "replace", "ignore"}

// fuzzRead reads data and checks what must hold for any input: no panic,
// errors are *FormatError naming the file, batches are whole rows in order,
// and no batch is larger than the input could justify (a header's claims
// are never allocated up front).
func fuzzRead(t *testing.T, data []byte, opts vecfile.ReadOptions) *table {
	r, err := vecfile.NewReader(bytes.NewReader(data), int64(len(data)), "fuzz", opts)
	if err != nil {
		checkFuzzErr(t, err)
		return nil
	}
	defer r.Close()
	hdr := r.Header()
	if hdr.Dim <= 0 || hdr.DType.Size() == 0 {
		t.Fatalf("header %+v for a file that opened", hdr)
	}
	rowBytes := hdr.Dim * hdr.DType.Size()
	tab := &table{hdr: hdr}
	next := 0
	err = r.Read(context.Background(), func(b *vecfile.Batch) error {
		if b.Start != next {
			t.Fatalf("batch starts at %d after %d rows", b.Start, next)
		}
		if len(b.Data)%rowBytes != 0 || len(b.Data) == 0 {
			t.Fatalf("batch of %d bytes with rows of %d", len(b.Data), rowBytes)
		}
		n := len(b.Data) / rowBytes
		if b.Words != nil && len(b.Words) != n {
			t.Fatalf("batch of %d rows has %d words", n, len(b.Words))
		}
		if len(b.Data) > 4*len(data)+64 {
			t.Fatalf("batch of %d bytes from a %d-byte file", len(b.Data), len(data))
		}
		next += n
		tab.words = append(tab.words, b.Words...)
		tab.raw = append(tab.raw, b.Data...)
		for i := 0; i < len(b.Data); i += hdr.DType.Size() {
			tab.vecs = append(tab.vecs, elem(b.Data[i:], hdr.DType))
		}
		return nil
	})
	if err != nil {
		checkFuzzErr(t, err)
		return nil
	}
	st := r.Stats()
	if st.Rows != int64(next) || hdr.Rows >= 0 && next > hdr.Rows || opts.Limit > 0 && next > opts.Limit {
		t.Fatalf("delivered %d rows, stats %+v, header %+v, limit %d", next, st, hdr, opts.Limit)
	}
	if st.Unread < 0 || st.Unread > int64(len(data)) {
		t.Fatalf("stats.Unread = %d for a %d-byte file", st.Unread, len(data))
	}
	if opts.Duplicates == vecfile.DuplicatesError && tab.words != nil {
		seen := map[string]bool{}
		for _, w := range tab.words {
			if seen[w] {
				t.Fatalf("duplicate word %q delivered", w)
			}
			seen[w] = true
		}
	}
	return tab
}

func checkFuzzErr(t *testing.T, err error) {
	var fe *vecfile.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *FormatError", err, err)
	}
	if fe.Path != "fuzz" || fe.Err == nil || fe.Msg == "" {
		t.Fatalf("error %#v lacks its path, sentinel or message", fe)
	}
}

// roundTrip writes what was read in the given format and reads it back:
// the same words and the same float32 bits must come out.
func roundTrip(t *testing.T, tab *table, opts vecfile.WriteOptions) {
	if tab == nil || len(tab.words) == 0 {
		return
	}
	path := filepath.Join(t.TempDir(), "rt")
	w, err := vecfile.Create(path, len(tab.words), tab.hdr.Dim, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(tab.words, tab.vecs); err != nil {
		w.Abort()
		if errors.Is(err, vecfile.ErrInvalidWord) {
			return // words the format cannot hold: refused, as documented
		}
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	back, err := readTable(t, path, vecfile.ReadOptions{Format: opts.Format, Binary: opts.Binary})
	if err != nil {
		t.Fatalf("reading back what was written: %v", err)
	}
	if !slices.Equal(back.words, tab.words) {
		t.Fatalf("round trip words %q became %q", tab.words, back.words)
	}
	for i, f := range tab.vecs {
		g := back.vecs[i]
		if math.Float32bits(f) != math.Float32bits(g) && !(f != f && g != g) {
			t.Fatalf("round trip value %d: %v became %v", i, f, g)
		}
	}
	os.Remove(path)
}

func addTextSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join(goldenDir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 2000)], uint8(0), uint8(0))
	}
}

func FuzzReadWord2VecText(f *testing.F) {
	addTextSeeds(f, "embeddb.txt", "gensim.txt", "numbers.txt", "unicode.txt")
	for _, s := range []string{"2 2\na 1 2\nb 3 4\n", "3 1\na 1\nb 2\na 3\n", "1 2\n a 1\n", "2 2\r\na nan inf\r\n\r\nb 1_0 .5\n", "0 3\n", "1 1\nca\xc3 1\n"} {
		f.Add([]byte(s), uint8(0), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, limit, mode uint8) {
		opts := vecfile.ReadOptions{Format: vecfile.Word2VecText, Limit: int(limit % 4), UnicodeErrors: unicodeModes[mode%3],
			Duplicates: vecfile.Duplicates(mode / 3 % 2), Workers: 2}
		roundTrip(t, fuzzRead(t, data, opts), vecfile.WriteOptions{Format: vecfile.Word2VecText})
	})
}

func FuzzReadWord2VecBinary(f *testing.F) {
	addTextSeeds(f, "embeddb.bin", "gensim.bin")
	for _, s := range []string{"2 2\n" + bin("a", false, 1, 2) + bin("b", true, 3, 4), "1 1\n" + bin("\n\nc\t", false, float32(math.NaN())), "2 1\n" + bin("a", false, 1) + "a "} {
		f.Add([]byte(s), uint8(0), uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, limit, mode uint8) {
		opts := vecfile.ReadOptions{Format: vecfile.Word2VecBinary, Limit: int(limit % 4), UnicodeErrors: unicodeModes[mode%3],
			Duplicates: vecfile.Duplicates(mode / 3 % 2)}
		sameMapped(t, data, opts)
		roundTrip(t, fuzzRead(t, data, opts), vecfile.WriteOptions{Format: vecfile.Word2VecBinary})
	})
}

func FuzzReadGloVe(f *testing.F) {
	for _, s := range []string{"the 1 2\nof 3 4\n", "the 1 2\n. . . 3 4\n", "a 1\n\nb nan\n", "x -0.5 1e-3 7\r\ny 1 2 3 \n"} {
		f.Add([]byte(s), uint8(0), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, limit, mode uint8) {
		opts := vecfile.ReadOptions{Format: vecfile.GloVe, Limit: int(limit % 4), UnicodeErrors: unicodeModes[mode%3],
			Duplicates: vecfile.Duplicates(mode / 3 % 2), Workers: 2}
		roundTrip(t, fuzzRead(t, data, opts), vecfile.WriteOptions{Format: vecfile.GloVe})
	})
}

func FuzzReadNPY(f *testing.F) {
	for _, name := range []string{"numpy_f4.npy", "numpy_f2.npy", "numpy_f8.npy", "numpy_be.npy", "numpy_fortran.npy"} {
		b, err := os.ReadFile(filepath.Join(goldenDir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
	}
	f.Add(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 3), }", f32bytes(1, 2, 3)), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, limit uint8) {
		fuzzRead(t, data, vecfile.ReadOptions{Format: vecfile.NPY, Limit: int(limit % 4)})
	})
}

func FuzzReadSafetensors(f *testing.F) {
	b, err := os.ReadFile(filepath.Join(goldenDir, "st.safetensors"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b, "model.embed_tokens.weight", uint8(0))
	f.Add(b, "", uint8(0))
	f.Add(stFile(`{"w":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24]}}`, f32bytes(1, 2, 3, 4, 5, 6)), "", uint8(2))
	f.Add(stFile(`{"w":{"dtype":"BF16","shape":[2,2],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1,1],"data_offsets":[8,16]}}`, f32bytes(1, 2, 3, 4)), "b", uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, tensor string, limit uint8) {
		fuzzRead(t, data, vecfile.ReadOptions{Format: vecfile.Safetensors, Tensor: tensor, Limit: int(limit % 4)})
	})
}

// FuzzDetect checks that detection never panics and that whatever it
// detects then opens or fails with a FormatError.
func FuzzDetect(f *testing.F) {
	f.Add([]byte("2 2\na 1 2\nb 3 4\n"))
	f.Add([]byte("the 1 2\n"))
	f.Add(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", f32bytes(1)))
	f.Add(stFile(`{"w":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]}}`, f32bytes(1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, vecfile.ReadOptions{})
	})
}

// sameMapped reads data as a file that Open maps and through NewReader,
// which reads it with ReadAt, and wants the same rows or the same error.
func sameMapped(t *testing.T, data []byte, opts vecfile.ReadOptions) {
	path := filepath.Join(t.TempDir(), "fuzz")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	read := func(r *vecfile.Reader, err error) (words []string, raw []byte, _ string) {
		if err == nil {
			defer r.Close()
			err = r.Read(context.Background(), func(b *vecfile.Batch) error {
				words = append(words, b.Words...)
				raw = append(raw, b.Data...)
				return nil
			})
		}
		if err != nil {
			return nil, nil, err.Error()
		}
		return words, raw, ""
	}
	w1, raw1, err1 := read(vecfile.Open(path, opts))
	w2, raw2, err2 := read(vecfile.NewReader(bytes.NewReader(data), int64(len(data)), path, opts))
	if err1 != err2 || !slices.Equal(w1, w2) || !bytes.Equal(raw1, raw2) {
		t.Fatalf("mapped and read differ: %d words, %d bytes, error %q; %d words, %d bytes, error %q",
			len(w1), len(raw1), err1, len(w2), len(raw2), err2)
	}
}
