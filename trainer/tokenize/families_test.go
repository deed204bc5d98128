package tokenize_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

// families are the tokenizers under ../shared/testdata/tokenizers, each
// with encodings recorded by transformers.js (@lenml/tokenizers 3.7.2,
// gen_encodings.mjs there).
var families = []string{"llama2", "llama3", "gemma3", "deepseek_v3", "gpt4o"}

var familyCache sync.Map // name -> *familyTok

type familyTok struct {
	once    sync.Once
	b       *tokenize.BPE
	cleanUp bool // tokenizer_config.json's clean_up_tokenization_spaces
	err     error
}

// familyBPE loads ../shared/testdata/tokenizers/<name>/tokenizer.json once,
// or skips when the shared data is absent.
func familyBPE(tb testing.TB, name string) (*tokenize.BPE, bool) {
	tb.Helper()
	dir := filepath.Join(sharedTestdata(tb), "tokenizers", name)
	v, _ := familyCache.LoadOrStore(name, &familyTok{})
	ft := v.(*familyTok)
	ft.once.Do(func() {
		data, err := os.ReadFile(filepath.Join(dir, "tokenizer.json"))
		if err != nil {
			ft.err = err
			return
		}
		if ft.b, ft.err = tokenize.ParseBPE(data); ft.err != nil {
			return
		}
		var cfg struct {
			CleanUp *bool `json:"clean_up_tokenization_spaces"`
		}
		if data, err := os.ReadFile(filepath.Join(dir, "tokenizer_config.json")); err == nil {
			ft.err = json.Unmarshal(data, &cfg)
		}
		ft.cleanUp = cfg.CleanUp == nil || *cfg.CleanUp // transformers.js's default is true
	})
	if ft.err != nil {
		tb.Fatalf("load %s: %v", name, ft.err)
	}
	return ft.b, ft.cleanUp
}

// familyCase is one line of encodings.jsonl.
type familyCase struct {
	Text        string   `json:"text"`
	IDs         []int    `json:"ids"`
	Tokens      []string `json:"tokens"`
	WithSpecial []int    `json:"ids_with_special"`
	Decoded     string   `json:"decoded"`
}

func readFamilyCases(tb testing.TB, path string) []familyCase {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var cases []familyCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var c familyCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatalf("%s:%d: %v", path, len(cases)+1, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(cases) == 0 {
		tb.Fatalf("%s has no cases", path)
	}
	return cases
}

// checkFamilyCases compares Encode, AddSpecialTokens and Decode with the
// recorded encodings.
func checkFamilyCases(t *testing.T, b *tokenize.BPE, cleanUp bool, cases []familyCase) {
	t.Helper()
	for i, c := range cases {
		toks := b.Encode(c.Text)
		ids, texts := splitTokens(toks)
		if !slices.Equal(ids, c.IDs) || !slices.Equal(texts, c.Tokens) {
			t.Errorf("line %d: Encode(%.80q) =\n  %v %q\nwant\n  %v %q", i+1, c.Text, ids, texts, c.IDs, c.Tokens)
			continue
		}
		if got, _ := splitTokens(b.AddSpecialTokens(toks)); !slices.Equal(got, c.WithSpecial) {
			t.Errorf("line %d: AddSpecialTokens(Encode(%.80q)) = %v, want %v", i+1, c.Text, got, c.WithSpecial)
		}
		got, err := b.Decode(c.IDs)
		if cleanUp {
			got = tokenize.CleanUpTokenizationSpaces(got)
		}
		if err != nil || got != c.Decoded {
			t.Errorf("line %d: Decode(%v) = %q, %v; want %q", i+1, c.IDs, got, err, c.Decoded)
		}
	}
}

// TestFamilies_Encodings checks every tokenizer family against the 40
// recorded encodings of ../shared/testdata/tokenizers/<name>/encodings.jsonl.
func TestFamilies_Encodings(t *testing.T) {
	for _, name := range families {
		t.Run(name, func(t *testing.T) {
			b, cleanUp := familyBPE(t, name)
			path := filepath.Join(sharedTestdata(t), "tokenizers", name, "encodings.jsonl")
			checkFamilyCases(t, b, cleanUp, readFamilyCases(t, path))
		})
	}
}

// TestFamilies_Corpus checks every family on real passages of the shared
// corpora (Wikipedia, Project Gutenberg with its BOM and CRLF, Latin-1 news,
// IMDB reviews), recorded by testdata/gen_families.sh.
func TestFamilies_Corpus(t *testing.T) {
	for _, name := range families {
		t.Run(name, func(t *testing.T) {
			b, cleanUp := familyBPE(t, name)
			checkFamilyCases(t, b, cleanUp, readFamilyCases(t, filepath.Join("testdata", "families", name+".jsonl")))
		})
	}
}

// BenchmarkFamilies_Encode measures each family's tokenizer on one core, in
// MB/s, on the mixed English and Chinese text of BenchmarkBPE_Encode, merge
// cache warm. testdata/bench_families.sh times Hugging Face beside it.
func BenchmarkFamilies_Encode(b *testing.B) {
	lines, size := benchText(b, "mixed", 1<<20)
	for _, name := range append([]string{"qwen"}, families...) {
		b.Run(name, func(b *testing.B) {
			var tok *tokenize.BPE
			if name == "qwen" {
				tok = qwenBPE(b)
			} else {
				tok, _ = familyBPE(b, name)
			}
			b.SetBytes(size)
			b.ReportAllocs()
			n := 0
			cpu0 := processCPU()
			for b.Loop() {
				for _, l := range lines {
					n += len(tok.EncodeIDs(l))
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tokens/s")
			// On a shared machine wall time depends on the neighbours; the
			// process's CPU time much less.
			if cpu := (processCPU() - cpu0).Seconds(); cpu > 0 {
				b.ReportMetric(float64(size)*float64(b.N)/cpu/1e6, "cpu-MB/s")
			}
		})
	}
}

// BenchmarkFamilies_Parse measures loading each family's tokenizer.json
// (Gemma 3's is 33 MB with 262,145 tokens and 514,906 merges; the issue's
// target is under 0.3 s). It reports wall time and, since the machine may be
// shared and loading uses every core, the process's CPU time per load.
func BenchmarkFamilies_Parse(b *testing.B) {
	for _, name := range append([]string{"qwen"}, families...) {
		b.Run(name, func(b *testing.B) {
			dir := filepath.Join(sharedTestdata(b), "tokenizers", name)
			if name == "qwen" {
				dir = filepath.Join(sharedTestdata(b), "qwen")
			}
			data, err := os.ReadFile(filepath.Join(dir, "tokenizer.json"))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			cpu0 := processCPU()
			for b.Loop() {
				if _, err := tokenize.ParseBPE(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/load")
			b.ReportMetric((processCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/load")
		})
	}
}

// processCPU returns the user and system CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
