package vecfile_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/vecfile"
	"github.com/embeddb/embeddb/internal/vec"
)

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestWriter_RoundTrip(t *testing.T) {
	words := []string{"a", "é", "日本", "", "tab\there"}
	vecs := []float32{
		0, float32(math.Copysign(0, -1)), 1, -1,
		math.MaxFloat32, math.SmallestNonzeroFloat32, 1e-40, -3.4e-39,
		0.1, 1.0 / 3, 123456789, -2.5e-7,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 7,
		1, 2, 3, 4,
	}
	const dim = 4
	tests := []struct {
		file string
		opts vecfile.WriteOptions
		dt   vecfile.DType
	}{
		{"v.txt", vecfile.WriteOptions{}, vecfile.Float32},
		{"v.vec", vecfile.WriteOptions{Format: vecfile.Word2VecText}, vecfile.Float32},
		{"v.bin", vecfile.WriteOptions{}, vecfile.Float32},
		{"v.glove", vecfile.WriteOptions{Format: vecfile.GloVe}, vecfile.Float32},
		{"v.npy", vecfile.WriteOptions{}, vecfile.Float32},
		{"v16.npy", vecfile.WriteOptions{DType: vecfile.Float16}, vecfile.Float16},
		{"v.safetensors", vecfile.WriteOptions{WordsPath: "WORDS"}, vecfile.Float32},
		{"v16.safetensors", vecfile.WriteOptions{DType: vecfile.Float16}, vecfile.Float16},
		{"vbf.safetensors", vecfile.WriteOptions{DType: vecfile.BFloat16, Tensor: "model.embed_tokens.weight"}, vecfile.BFloat16},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tt.file)
			if tt.opts.WordsPath == "WORDS" {
				tt.opts.WordsPath = filepath.Join(dir, "words.txt")
			}
			writeFile(t, path, words, vecs, dim, tt.opts)
			ropts := vecfile.ReadOptions{WordsPath: tt.opts.WordsPath}
			tab, err := readTable(t, path, ropts)
			if err != nil {
				t.Fatal(err)
			}
			wantRows := len(words)
			if tab.hdr.Format == vecfile.GloVe {
				wantRows = -1 // GloVe files do not say
			}
			if tab.hdr.DType != tt.dt || tab.hdr.Rows != wantRows || tab.hdr.Dim != dim {
				t.Errorf("header = %+v", tab.hdr)
			}
			hasWords := tab.words != nil
			if tt.dt == vecfile.Float32 || hasWords {
				if !slices.Equal(tab.words, words) {
					t.Errorf("words = %q, want %q", tab.words, words)
				}
			}
			for i, f := range vecs {
				want := f
				switch tt.dt {
				case vecfile.Float16:
					want = vec.Float16ToFloat32(vec.Float32ToFloat16(f))
				case vecfile.BFloat16:
					want = vec.BFloat16ToFloat32(vec.Float32ToBFloat16(f))
				}
				got := tab.vecs[i]
				if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
					t.Errorf("value %d: wrote %v, read %v, want %v", i, f, got, want)
				}
			}
			if left := dirEntries(t, dir); slices.ContainsFunc(left, func(n string) bool { return n[0] == '.' }) {
				t.Errorf("temporary files left: %q", left)
			}
		})
	}
}

// TestWriter_WriteRaw checks that raw rows pass through unchanged when the
// file keeps their type, and are converted otherwise.
func TestWriter_WriteRaw(t *testing.T) {
	raw := make([]byte, 0, 12)
	for _, f := range []float32{1.5, -2, 3.25, 1e-3, 65504, float32(math.Copysign(0, -1))} {
		raw = binary.LittleEndian.AppendUint16(raw, vec.Float32ToBFloat16(f))
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	w, err := vecfile.Create(path, 2, 3, vecfile.WriteOptions{DType: vecfile.BFloat16})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRaw(nil, raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tab, err := readTable(t, path, vecfile.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tab.raw, raw) || tab.hdr.DType != vecfile.BFloat16 {
		t.Errorf("bf16 rows changed on the way through: %x, want %x", tab.raw, raw)
	}
	// The same rows into a text file are widened.
	txt := filepath.Join(dir, "m.txt")
	w, err = vecfile.Create(txt, 2, 3, vecfile.WriteOptions{DType: vecfile.BFloat16})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRaw([]string{"x", "y"}, raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(txt)
	if want := "2 3\nx 1.5 -2 3.25\ny 0.0009994507 65536 -0\n"; string(got) != want {
		t.Errorf("text from bf16 rows = %q, want %q", got, want)
	}
}

func TestWriter_Errors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		file  string
		opts  vecfile.WriteOptions
		words []string
		vecs  []float32
		want  error
	}{
		{"SpaceInWord", "a.txt", vecfile.WriteOptions{}, []string{"new york"}, []float32{1}, vecfile.ErrInvalidWord},
		{"SpaceInBinaryWord", "a.bin", vecfile.WriteOptions{}, []string{"a b"}, []float32{1}, vecfile.ErrInvalidWord},
		{"NewlineInWord", "a.npy", vecfile.WriteOptions{}, []string{"a\nb"}, []float32{1}, vecfile.ErrInvalidWord},
		{"CRAtEndOfNPYWord", "a.npy", vecfile.WriteOptions{}, []string{"a\r"}, []float32{1}, vecfile.ErrInvalidWord},
		{"BadUTF8", "a.txt", vecfile.WriteOptions{}, []string{"\xff"}, []float32{1}, vecfile.ErrInvalidWord},
		{"BOMFirstGloVeWord", "a.glove", vecfile.WriteOptions{Format: vecfile.GloVe}, []string{"\ufeffa"}, []float32{1}, vecfile.ErrInvalidWord},
		{"TooManyRows", "a.txt", vecfile.WriteOptions{}, []string{"a", "b"}, []float32{1, 2}, vecfile.ErrRowCount},
		{"WordsMismatch", "a.txt", vecfile.WriteOptions{}, []string{"a", "b"}, []float32{1}, vecfile.ErrInvalidOption},
		{"NoWordsForText", "a.txt", vecfile.WriteOptions{}, nil, []float32{1}, vecfile.ErrInvalidOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			w, err := vecfile.Create(path, 1, 1, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(tt.words, tt.vecs); !errors.Is(err, tt.want) {
				t.Errorf("Write(%q, %v) = %v, want %v", tt.words, tt.vecs, err, tt.want)
			}
			if err := w.Abort(); err != nil {
				t.Errorf("Abort: %v", err)
			}
			if left := dirEntries(t, dir); len(left) != 0 {
				t.Errorf("files left after Abort: %q", left)
			}
		})
	}
	t.Run("TooFewRows", func(t *testing.T) {
		path := filepath.Join(dir, "few.npy")
		w, err := vecfile.Create(path, 3, 1, vecfile.WriteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write([]string{"a"}, []float32{1}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); !errors.Is(err, vecfile.ErrRowCount) {
			t.Errorf("Close after 1 of 3 rows = %v, want ErrRowCount", err)
		}
		if left := dirEntries(t, dir); len(left) != 0 {
			t.Errorf("files left after a failed Close: %q", left)
		}
		if err := w.Write([]string{"b"}, []float32{1}); !errors.Is(err, vecfile.ErrClosed) {
			t.Errorf("Write after Close = %v, want ErrClosed", err)
		}
	})
	t.Run("KeepsOldFileOnFailure", func(t *testing.T) {
		path := filepath.Join(dir, "keep.txt")
		os.WriteFile(path, []byte("old"), 0o644)
		w, err := vecfile.Create(path, 2, 1, vecfile.WriteOptions{Overwrite: true})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]string{"a"}, []float32{1})
		w.Close()
		if b, _ := os.ReadFile(path); string(b) != "old" {
			t.Errorf("a failed export replaced the file: %q", b)
		}
		os.Remove(path)
	})
	t.Run("RefusesExistingFile", func(t *testing.T) {
		path := filepath.Join(dir, "exists.txt")
		os.WriteFile(path, []byte("old"), 0o644)
		defer os.Remove(path)
		if _, err := vecfile.Create(path, 1, 1, vecfile.WriteOptions{}); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("Create over an existing file = %v, want fs.ErrExist", err)
		}
		words := filepath.Join(dir, "m.words.txt")
		os.WriteFile(words, []byte("old"), 0o644)
		defer os.Remove(words)
		if _, err := vecfile.Create(filepath.Join(dir, "m.npy"), 1, 1, vecfile.WriteOptions{}); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("Create over an existing words file = %v, want fs.ErrExist", err)
		}
		if b, _ := os.ReadFile(path); string(b) != "old" {
			t.Errorf("the existing file changed: %q", b)
		}
	})
	t.Run("RefusesFileMadeMeanwhile", func(t *testing.T) {
		path := filepath.Join(dir, "race.txt")
		w, err := vecfile.Create(path, 1, 1, vecfile.WriteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(path, []byte("theirs"), 0o644) // someone else's, made while we wrote
		defer os.Remove(path)
		w.Write([]string{"a"}, []float32{1})
		if err := w.Close(); !errors.Is(err, fs.ErrExist) {
			t.Errorf("Close = %v, want fs.ErrExist", err)
		}
		if b, _ := os.ReadFile(path); string(b) != "theirs" {
			t.Errorf("the other file was replaced: %q", b)
		}
		if left := dirEntries(t, dir); slices.ContainsFunc(left, func(n string) bool { return strings.Contains(n, "race.txt.tmp") }) {
			t.Errorf("temporary file left behind: %q", left)
		}
	})
	t.Run("OverwriteFollowsSymlink", func(t *testing.T) {
		real := filepath.Join(dir, "real.txt")
		link := filepath.Join(dir, "link.txt")
		os.WriteFile(real, []byte("old"), 0o644)
		defer os.Remove(real)
		if err := os.Symlink("real.txt", link); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
		defer os.Remove(link)
		w, err := vecfile.Create(link, 1, 1, vecfile.WriteOptions{Overwrite: true})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]string{"a"}, []float32{1})
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("the symlink was replaced by a file: %v %v", st, err)
		}
		if b, _ := os.ReadFile(real); !strings.HasPrefix(string(b), "1 1\n") {
			t.Errorf("the link's target holds %q, want the export", b)
		}
	})
	for _, tt := range []struct {
		rows, dim int
		opts      vecfile.WriteOptions
	}{
		{-1, 2, vecfile.WriteOptions{}}, {1, 0, vecfile.WriteOptions{}}, {1, 1, vecfile.WriteOptions{Format: vecfile.NPY, DType: vecfile.BFloat16}},
		{1, 1, vecfile.WriteOptions{DType: 9}}, {1, 1, vecfile.WriteOptions{Format: vecfile.GloVe, Binary: true}},
	} {
		if _, err := vecfile.Create(filepath.Join(dir, "x.npy"), tt.rows, tt.dim, tt.opts); !errors.Is(err, vecfile.ErrInvalidOption) {
			t.Errorf("Create(%d, %d, %+v) = %v, want ErrInvalidOption", tt.rows, tt.dim, tt.opts, err)
		}
	}
	if _, err := vecfile.Create(filepath.Join(dir, "no", "such", "dir.txt"), 1, 1, vecfile.WriteOptions{}); err == nil {
		t.Error("Create in a missing directory succeeded")
	}
}

func TestWriter_NPYWordsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "emb.npy")
	writeFile(t, path, []string{"x", "y"}, []float32{1, 2}, 1, vecfile.WriteOptions{})
	if b, err := os.ReadFile(filepath.Join(dir, "emb.words.txt")); err != nil || string(b) != "x\ny\n" {
		t.Errorf("words file = %q, %v; want \"x\\ny\\n\"", b, err)
	}
	// Without words, no words file is written.
	path = filepath.Join(dir, "anon.npy")
	writeFile(t, path, nil, []float32{1, 2}, 1, vecfile.WriteOptions{})
	if _, err := os.Stat(filepath.Join(dir, "anon.words.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("anon.words.txt: %v, want no such file", err)
	}
}
