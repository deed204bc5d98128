package vecfile_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/vecfile"
)

var update = flag.Bool("update", false, "rewrite testdata/gensim/embeddb.{txt,bin} from the writer (then run gen.py: see regen.sh)")

const goldenDir = "testdata/gensim"

// goldenMatrix is the seeded table that the embeddb.* goldens hold: words in
// 30 clusters, so that most_similar has clear answers.
func goldenMatrix() (words []string, vecs []float32, dim int) {
	const n = 300
	dim = 16
	rng := rand.New(rand.NewPCG(1, 2))
	centers := make([]float32, 30*dim)
	for i := range centers {
		centers[i] = float32(rng.NormFloat64())
	}
	for i := range n {
		w := fmt.Sprintf("w%03d", i)
		switch i {
		case 200:
			w = "café"
		case 201:
			w = "日本"
		case 202:
			w = "naïve"
		}
		words = append(words, w)
		c := i % 30
		for j := range dim {
			vecs = append(vecs, centers[c*dim+j]+0.4*float32(rng.NormFloat64()))
		}
	}
	return words, vecs, dim
}

func writeFile(t *testing.T, path string, words []string, vecs []float32, dim int, opts vecfile.WriteOptions) {
	t.Helper()
	w, err := vecfile.Create(path, len(vecs)/dim, dim, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(words, vecs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// table is a whole file read into memory, widened to float32.
type table struct {
	hdr   vecfile.Header
	words []string
	vecs  []float32
	raw   []byte
	stats vecfile.Stats
}

func readTable(tb testing.TB, path string, opts vecfile.ReadOptions) (*table, error) {
	tb.Helper()
	r, err := vecfile.Open(path, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readAll(r)
}

func readAll(r *vecfile.Reader) (*table, error) {
	tab := &table{hdr: r.Header()}
	next := 0
	err := r.Read(context.Background(), func(b *vecfile.Batch) error {
		if b.Start != next {
			return errors.New("batch Start out of order")
		}
		rowBytes := tab.hdr.Dim * tab.hdr.DType.Size()
		if rowBytes == 0 || len(b.Data)%rowBytes != 0 {
			return errors.New("batch Data is not whole rows")
		}
		n := len(b.Data) / rowBytes
		if b.Words != nil && len(b.Words) != n {
			return errors.New("batch has words for a different number of rows")
		}
		next += n
		tab.words = append(tab.words, b.Words...)
		tab.raw = append(tab.raw, b.Data...)
		for i := 0; i < len(b.Data); i += tab.hdr.DType.Size() {
			tab.vecs = append(tab.vecs, elem(b.Data[i:], tab.hdr.DType))
		}
		return nil
	})
	tab.stats = r.Stats()
	return tab, err
}

func elem(b []byte, dt vecfile.DType) float32 {
	switch dt {
	case vecfile.Float16:
		return f16(binary.LittleEndian.Uint16(b))
	case vecfile.BFloat16:
		return math.Float32frombits(uint32(binary.LittleEndian.Uint16(b)) << 16)
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(b))
}

// f16 widens binary16 independently of internal/vec, as a cross-check.
func f16(h uint16) float32 {
	sign := float32(1)
	if h&0x8000 != 0 {
		sign = -1
	}
	e := int(h>>10) & 0x1f
	m := float64(h & 0x3ff)
	switch e {
	case 0:
		return sign * float32(m*math.Pow(2, -24))
	case 31:
		if m != 0 {
			return float32(math.NaN())
		}
		return sign * float32(math.Inf(1))
	}
	return sign * float32((1+m/1024)*math.Pow(2, float64(e-15)))
}

func bitsOf(v []float32) []uint32 {
	out := make([]uint32, len(v))
	for i, f := range v {
		out[i] = math.Float32bits(f)
	}
	return out
}

func TestGolden_Write(t *testing.T) {
	words, vecs, dim := goldenMatrix()
	for _, tt := range []struct {
		name string
		opts vecfile.WriteOptions
	}{
		{"embeddb.txt", vecfile.WriteOptions{Format: vecfile.Word2VecText}},
		{"embeddb.bin", vecfile.WriteOptions{Format: vecfile.Word2VecText, Binary: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			golden := filepath.Join(goldenDir, tt.name)
			path := filepath.Join(t.TempDir(), tt.name)
			if *update {
				path = golden
			}
			writeFile(t, path, words, vecs, dim, tt.opts)
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run testdata/gensim/regen.sh)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("writer output differs from %s, which gensim's goldens were recorded from; run testdata/gensim/regen.sh and review", golden)
			}
		})
	}
}

// gensimView is what gen.py records of gensim's load of a file.
type gensimView struct {
	Shape         []int              `json:"shape"`
	WordsSHA256   string             `json:"words_sha256"`
	VectorsSHA256 string             `json:"vectors_sha256"`
	MostSimilar   map[string][][]any `json:"most_similar"`
}

func (tab *table) view() gensimView {
	ws := sha256.Sum256([]byte(strings.Join(tab.words, "\n")))
	vs := sha256.Sum256(tab.raw)
	return gensimView{Shape: []int{len(tab.words), tab.hdr.Dim}, WordsSHA256: hex.EncodeToString(ws[:]), VectorsSHA256: hex.EncodeToString(vs[:])}
}

type neighbour struct {
	word string
	sim  float64
}

// mostSimilar is gensim's most_similar(word, topn): cosine similarity to the
// unit-normalised vectors, best first, the word itself left out.
func (tab *table) mostSimilar(word string, topn int) []neighbour {
	dim := tab.hdr.Dim
	norm := func(i int) []float64 {
		v := make([]float64, dim)
		var s float64
		for j := range dim {
			v[j] = float64(tab.vecs[i*dim+j])
			s += v[j] * v[j]
		}
		s = math.Sqrt(s)
		for j := range v {
			v[j] /= s
		}
		return v
	}
	q := slices.Index(tab.words, word)
	qv := norm(q)
	var out []neighbour
	for i, w := range tab.words {
		if i == q {
			continue
		}
		v := norm(i)
		var d float64
		for j := range dim {
			d += qv[j] * v[j]
		}
		out = append(out, neighbour{w, d})
	}
	slices.SortStableFunc(out, func(a, b neighbour) int {
		switch {
		case a.sim > b.sim:
			return -1
		case a.sim < b.sim:
			return 1
		}
		return 0
	})
	return out[:topn]
}

// checkGensimView compares our reading of a file with gensim's.
func checkGensimView(t *testing.T, tab *table, want gensimView) {
	t.Helper()
	got := tab.view()
	if !slices.Equal(got.Shape, want.Shape) || got.WordsSHA256 != want.WordsSHA256 || got.VectorsSHA256 != want.VectorsSHA256 {
		t.Errorf("read %v words %s… vectors %s…, gensim read %v words %s… vectors %s…",
			got.Shape, got.WordsSHA256[:12], got.VectorsSHA256[:12], want.Shape, want.WordsSHA256[:12], want.VectorsSHA256[:12])
	}
	if len(want.MostSimilar) == 0 {
		t.Fatal("golden has no most_similar answers")
	}
	for word, wantNN := range want.MostSimilar {
		gotNN := tab.mostSimilar(word, len(wantNN))
		for i, nn := range wantNN {
			w, _ := nn[0].(string)
			s, _ := nn[1].(float64)
			if gotNN[i].word != w || math.Abs(gotNN[i].sim-s) > 1e-5 {
				t.Errorf("most_similar(%q)[%d] = %s %.6f, gensim says %s %.6f", word, i, gotNN[i].word, gotNN[i].sim, w, s)
			}
		}
	}
}

func loadJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatalf("%v (run testdata/gensim/regen.sh)", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// TestGolden_GensimLoadsOurFiles checks that gensim, loading the files our
// writer makes, gets the same words, the same float32 bits and the same
// most_similar answers as we do.
func TestGolden_GensimLoadsOurFiles(t *testing.T) {
	var golden map[string]gensimView
	loadJSON(t, "embeddb.golden.json", &golden)
	words, vecs, _ := goldenMatrix()
	for _, tt := range []struct{ file, key string }{{"embeddb.txt", "text"}, {"embeddb.bin", "binary"}} {
		t.Run(tt.key, func(t *testing.T) {
			tab, err := readTable(t, filepath.Join(goldenDir, tt.file), vecfile.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tab.words, words) || !slices.Equal(bitsOf(tab.vecs), bitsOf(vecs)) {
				t.Errorf("read %s: not the table that was written", tt.file)
			}
			checkGensimView(t, tab, golden[tt.key])
		})
	}
}

// TestGolden_ReadGensimFiles reads files written by gensim's
// save_word2vec_format and checks every float32 bit against gensim's own
// load of them.
func TestGolden_ReadGensimFiles(t *testing.T) {
	var golden map[string]struct {
		Words []string `json:"words"`
		Bits  []uint32 `json:"bits"`
	}
	loadJSON(t, "gensim.golden.json", &golden)
	for _, name := range []string{"gensim.txt", "gensim.bin"} {
		t.Run(name, func(t *testing.T) {
			want := golden[name]
			tab, err := readTable(t, filepath.Join(goldenDir, name), vecfile.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tab.words, want.Words) {
				t.Errorf("words = %q, gensim read %q", tab.words, want.Words)
			}
			if got := bitsOf(tab.vecs); !slices.Equal(got, want.Bits) {
				t.Errorf("vectors differ from gensim's in %d of %d elements", countDiff(got, want.Bits), len(want.Bits))
			}
		})
	}
}

func countDiff(a, b []uint32) int {
	n := max(len(a), len(b)) - min(len(a), len(b))
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// TestGolden_Numbers checks number parsing against numpy.float32(str), the
// parser gensim uses, on spellings chosen to break naive parsers.
func TestGolden_Numbers(t *testing.T) {
	var golden struct {
		Spellings []string `json:"spellings"`
		Bits      []uint32 `json:"bits"`
	}
	loadJSON(t, "numbers.golden.json", &golden)
	tab, err := readTable(t, filepath.Join(goldenDir, "numbers.txt"), vecfile.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := bitsOf(tab.vecs)
	if len(got) != len(golden.Bits) {
		t.Fatalf("read %d numbers, want %d", len(got), len(golden.Bits))
	}
	for i, s := range golden.Spellings {
		if got[i] != golden.Bits[i] {
			t.Errorf("parse %q = %#08x (%g), numpy.float32 gives %#08x (%g)", s, got[i],
				math.Float32frombits(got[i]), golden.Bits[i], math.Float32frombits(golden.Bits[i]))
		}
	}
}

// TestGolden_Unicode checks unicode_errors = replace / ignore against gensim.
func TestGolden_Unicode(t *testing.T) {
	var golden map[string][]string
	loadJSON(t, "unicode.golden.json", &golden)
	path := filepath.Join(goldenDir, "unicode.txt")
	for _, mode := range []string{"replace", "ignore"} {
		t.Run(mode, func(t *testing.T) {
			opts := vecfile.ReadOptions{UnicodeErrors: mode, Duplicates: vecfile.DuplicatesSkip}
			tab, err := readTable(t, path, opts)
			if err != nil {
				t.Fatal(err)
			}
			// gensim's decoding makes duplicates, which it drops (keeping the
			// first) as DuplicatesSkip does.
			want := golden[mode]
			if !slices.Equal(tab.words, want) {
				t.Errorf("words = %q, gensim read %q", tab.words, want)
			}
		})
	}
	t.Run("strict", func(t *testing.T) {
		_, err := readTable(t, path, vecfile.ReadOptions{})
		var fe *vecfile.FormatError
		if !errors.As(err, &fe) || !errors.Is(err, vecfile.ErrUnicode) || fe.Line != 3 {
			t.Errorf("read = %v, want ErrUnicode on line 3", err)
		}
	})
}

// TestGolden_NumPy reads numpy.save's files and checks that our writer makes
// the same bytes numpy.save does.
func TestGolden_NumPy(t *testing.T) {
	var golden struct {
		Shape []int    `json:"shape"`
		F4    []uint32 `json:"f4"`
		F2    []uint16 `json:"f2"`
		F8    []uint32 `json:"f8"`
	}
	loadJSON(t, "numpy.golden.json", &golden)
	f2raw := make([]byte, 2*len(golden.F2))
	for i, h := range golden.F2 {
		binary.LittleEndian.PutUint16(f2raw[2*i:], h)
	}
	opts := vecfile.ReadOptions{WordsPath: "-"}
	for _, tt := range []struct {
		file string
		dt   vecfile.DType
		want []uint32 // float32 bits, or nil to compare raw float16
	}{
		{"numpy_f4.npy", vecfile.Float32, golden.F4},
		{"numpy_be.npy", vecfile.Float32, golden.F4},
		{"numpy_f8.npy", vecfile.Float32, golden.F8},
		{"numpy_f2.npy", vecfile.Float16, nil},
	} {
		t.Run(tt.file, func(t *testing.T) {
			tab, err := readTable(t, filepath.Join(goldenDir, tt.file), opts)
			if err != nil {
				t.Fatal(err)
			}
			if tab.hdr.Rows != golden.Shape[0] || tab.hdr.Dim != golden.Shape[1] || tab.hdr.DType != tt.dt {
				t.Errorf("header = %+v, want %v %v", tab.hdr, golden.Shape, tt.dt)
			}
			if tab.words != nil {
				t.Errorf("words = %q, want none", tab.words)
			}
			if tt.want == nil {
				if !bytes.Equal(tab.raw, f2raw) {
					t.Errorf("float16 data differs from numpy's")
				}
			} else if got := bitsOf(tab.vecs); !slices.Equal(got, tt.want) {
				t.Errorf("data differs from numpy's in %d elements", countDiff(got, tt.want))
			}
		})
	}
	t.Run("fortran", func(t *testing.T) {
		_, err := readTable(t, filepath.Join(goldenDir, "numpy_fortran.npy"), opts)
		if !errors.Is(err, vecfile.ErrLayout) || !strings.Contains(err.Error(), "ascontiguousarray") {
			t.Errorf("read = %v, want ErrLayout that says how to fix it", err)
		}
	})
	vecs := make([]float32, len(golden.F4))
	for i, b := range golden.F4 {
		vecs[i] = math.Float32frombits(b)
	}
	for _, tt := range []struct {
		file string
		dt   vecfile.DType
	}{{"numpy_f4.npy", vecfile.Float32}, {"numpy_f2.npy", vecfile.Float16}} {
		t.Run("write/"+tt.file, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.npy")
			writeFile(t, path, nil, vecs, golden.Shape[1], vecfile.WriteOptions{DType: tt.dt})
			got, _ := os.ReadFile(path)
			want, _ := os.ReadFile(filepath.Join(goldenDir, tt.file))
			if !bytes.Equal(got, want) {
				t.Errorf("wrote %d bytes unlike numpy.save's %d:\n%q\n%q", len(got), len(want), got[:min(len(got), 80)], want[:min(len(want), 80)])
			}
		})
	}
}

// TestGolden_Safetensors reads a file laid out as the safetensors library
// writes it.
func TestGolden_Safetensors(t *testing.T) {
	var golden map[string][]uint16
	loadJSON(t, "st.golden.json", &golden)
	path := filepath.Join(goldenDir, "st.safetensors")
	for _, tt := range []struct {
		tensor string
		dt     vecfile.DType
	}{{"model.embed_tokens.weight", vecfile.BFloat16}, {"lm_head.weight", vecfile.Float16}} {
		t.Run(tt.tensor, func(t *testing.T) {
			tab, err := readTable(t, path, vecfile.ReadOptions{Tensor: tt.tensor})
			if err != nil {
				t.Fatal(err)
			}
			want := make([]byte, 2*len(golden[tt.tensor]))
			for i, h := range golden[tt.tensor] {
				binary.LittleEndian.PutUint16(want[2*i:], h)
			}
			if tab.hdr != (vecfile.Header{Format: vecfile.Safetensors, Rows: 6, Dim: 4, DType: tt.dt}) {
				t.Errorf("header = %+v", tab.hdr)
			}
			if !bytes.Equal(tab.raw, want) || tab.words != nil {
				t.Errorf("data differs from the file's")
			}
		})
	}
	for _, tt := range []struct {
		tensor  string
		want    error
		mention string
	}{
		{"", vecfile.ErrTensorNotFound, `"lm_head.weight" F16 (6, 4)`},
		{"model.embed", vecfile.ErrTensorNotFound, `"model.embed_tokens.weight" BF16 (6, 4)`},
		{"model.norm.weight", vecfile.ErrShape, "(4,)"},
		{"position_ids", vecfile.ErrDType, "I64"},
	} {
		t.Run("Err/"+tt.tensor, func(t *testing.T) {
			_, err := readTable(t, path, vecfile.ReadOptions{Tensor: tt.tensor})
			var fe *vecfile.FormatError
			if !errors.Is(err, tt.want) || !errors.As(err, &fe) || fe.Path != path || !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("Open(tensor %q) = %v, want %v mentioning %s", tt.tensor, err, tt.want, tt.mention)
			}
		})
	}
}

// TestPython_Gensim runs gensim live (EMBEDDB_PYTHON_TESTS=1): gensim loads
// a fresh file of ours and must agree with our reading of it, and we load a
// fresh file of gensim's and must agree with gensim's reading.
func TestPython_Gensim(t *testing.T) {
	if os.Getenv("EMBEDDB_PYTHON_TESTS") != "1" {
		t.Skip("set EMBEDDB_PYTHON_TESTS=1 to run gensim (/usr/bin/python3 with gensim 4.2)")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(99, uint64(os.Getpid())))
	const n, dim = 3000, 32
	words := make([]string, n)
	vecs := make([]float32, n*dim)
	for i := range words {
		words[i] = "x" + strconv.Itoa(i) + string(rune('α'+i%20))
	}
	for i := range vecs {
		vecs[i] = float32(rng.NormFloat64()) * float32(math.Pow(10, float64(rng.IntN(9)-4)))
	}
	for i := range 6 {
		words[i] = []string{"w000", "w017", "w100", "café", "日本", "naïve"}[i]
	}
	writeFile(t, filepath.Join(dir, "embeddb.txt"), words, vecs, dim, vecfile.WriteOptions{})
	writeFile(t, filepath.Join(dir, "embeddb.bin"), words, vecs, dim, vecfile.WriteOptions{Binary: true})
	cmd := exec.Command("/usr/bin/python3", filepath.Join(goldenDir, "gen.py"), dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen.py: %v\n%s", err, out)
	}
	var golden map[string]gensimView
	b, err := os.ReadFile(filepath.Join(dir, "embeddb.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ file, key string }{{"embeddb.txt", "text"}, {"embeddb.bin", "binary"}} {
		tab, err := readTable(t, filepath.Join(dir, tt.file), vecfile.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(bitsOf(tab.vecs), bitsOf(vecs)) {
			t.Errorf("%s: round trip changed the vectors", tt.file)
		}
		checkGensimView(t, tab, golden[tt.key])
	}
	var gz map[string]struct {
		Words []string `json:"words"`
		Bits  []uint32 `json:"bits"`
	}
	b, _ = os.ReadFile(filepath.Join(dir, "gensim.golden.json"))
	if err := json.Unmarshal(b, &gz); err != nil {
		t.Fatal(err)
	}
	for name, want := range gz {
		tab, err := readTable(t, filepath.Join(dir, name), vecfile.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tab.words, want.Words) || !slices.Equal(bitsOf(tab.vecs), want.Bits) {
			t.Errorf("%s: our reading differs from gensim's", name)
		}
	}
}

// TestGolden_FastText reads a .vec written by the fastText tool (with its
// trailing space on every line) bit for bit as gensim does, and checks that
// a fastText model file, by its recorded magic, is refused with advice.
func TestGolden_FastText(t *testing.T) {
	var golden struct {
		Words []string `json:"words"`
		Bits  []uint32 `json:"bits"`
	}
	b, err := os.ReadFile("testdata/fasttext/tiny.golden.json")
	if err != nil {
		t.Fatalf("%v (run testdata/fasttext/gen.sh)", err)
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	tab, err := readTable(t, "testdata/fasttext/tiny.vec", vecfile.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tab.hdr.Format != vecfile.Word2VecText || !slices.Equal(tab.words, golden.Words) || !slices.Equal(bitsOf(tab.vecs), golden.Bits) {
		t.Errorf("read %v %q, gensim read %q", tab.hdr, tab.words, golden.Words)
	}
	var head struct{ Magic, Version uint32 }
	b, err = os.ReadFile("testdata/fasttext/tiny.bin.head.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &head); err != nil {
		t.Fatal(err)
	}
	model := binary.LittleEndian.AppendUint32(nil, head.Magic)
	model = binary.LittleEndian.AppendUint32(model, head.Version)
	path := filepath.Join(t.TempDir(), "model.bin")
	if err := os.WriteFile(path, append(model, make([]byte, 64)...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := vecfile.Detect(path); !errors.Is(err, vecfile.ErrUnknownFormat) || !strings.Contains(err.Error(), ".vec") {
		t.Errorf("Detect(fastText model) = %v, want ErrUnknownFormat pointing to the .vec file", err)
	}
}
