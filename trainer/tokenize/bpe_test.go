package tokenize_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

var tinyNames = []string{"tiny_qwen", "tiny_gpt2", "tiny_prefix", "tiny_llama3", "tiny_unk", "tiny_fallback"}

var tinyCache sync.Map // name -> *tokenize.BPE

// tinyBPE loads testdata/bpe/<name>.json, a small tokenizer made by
// testdata/gen_bpe.js.
func tinyBPE(tb testing.TB, name string) *tokenize.BPE {
	tb.Helper()
	if b, ok := tinyCache.Load(name); ok {
		return b.(*tokenize.BPE)
	}
	f, err := os.Open(filepath.Join("testdata", "bpe", name+".json"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	b, err := tokenize.LoadBPE(f)
	if err != nil {
		tb.Fatalf("LoadBPE(%s): %v", name, err)
	}
	tinyCache.Store(name, b)
	return b
}

var (
	qwenOnce sync.Once
	qwenTok  *tokenize.BPE
	qwenErr  error
)

// qwenBPE loads ../shared/testdata/qwen/tokenizer.json once, or skips.
func qwenBPE(tb testing.TB) *tokenize.BPE {
	tb.Helper()
	path := filepath.Join(sharedTestdata(tb), "qwen", "tokenizer.json")
	qwenOnce.Do(func() {
		var f *os.File
		if f, qwenErr = os.Open(path); qwenErr != nil {
			return
		}
		defer f.Close()
		qwenTok, qwenErr = tokenize.LoadBPE(f)
	})
	if qwenErr != nil {
		tb.Fatalf("LoadBPE(%s): %v", path, qwenErr)
	}
	return qwenTok
}

func tokenizerByName(tb testing.TB, name string) *tokenize.BPE {
	if name == "qwen" {
		return qwenBPE(tb)
	}
	return tinyBPE(tb, name)
}

func splitTokens(toks []tokenize.Token) (ids []int, texts []string) {
	ids, texts = []int{}, []string{}
	for _, t := range toks {
		ids = append(ids, t.ID)
		texts = append(texts, t.Text)
	}
	return ids, texts
}

// TestBPE_QwenEncodings checks the 24 reference encodings of
// ../shared/testdata/qwen/encodings.jsonl (ids and tokens) and that each
// decodes back to the NFC form of its text.
func TestBPE_QwenEncodings(t *testing.T) {
	b := qwenBPE(t)
	f, err := os.Open(filepath.Join(sharedTestdata(t), "qwen", "encodings.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var c struct {
			Text   string   `json:"text"`
			IDs    []int    `json:"ids"`
			Tokens []string `json:"tokens"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		ids, texts := splitTokens(b.Encode(c.Text))
		if !slices.Equal(ids, c.IDs) || !slices.Equal(texts, c.Tokens) {
			t.Errorf("Encode(%q) = %v %q, want %v %q", c.Text, ids, texts, c.IDs, c.Tokens)
		}
		if got := b.EncodeIDs(c.Text); !slices.Equal(got, c.IDs) {
			t.Errorf("EncodeIDs(%q) = %v, want %v", c.Text, got, c.IDs)
		}
		got, err := b.Decode(c.IDs)
		if want := norm.NFC.String(c.Text); err != nil || got != want {
			t.Errorf("Decode(%v) = %q, %v; want %q", c.IDs, got, err, want)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 24 {
		t.Errorf("read %d encodings, want 24", n)
	}
}

func TestBPE_Qwen_Walkthrough(t *testing.T) {
	b := qwenBPE(t)
	ids, texts := splitTokens(b.Encode("Hi, 你好~"))
	if want := []int{13048, 11, 220, 108386, 93}; !slices.Equal(ids, want) {
		t.Errorf("Encode(%q) ids = %v, want %v", "Hi, 你好~", ids, want)
	}
	if want := []string{"Hi", ",", "Ġ", "ä½łå¥½", "~"}; !slices.Equal(texts, want) {
		t.Errorf("Encode(%q) tokens = %q, want %q", "Hi, 你好~", texts, want)
	}
	if got, want := b.VocabSize(), 151669; got != want {
		t.Errorf("VocabSize() = %d, want %d", got, want)
	}
	for tok, want := range map[string]int{"<|endoftext|>": 151643, "<|im_start|>": 151644, "</think>": 151668, "Ġworld": 1879, "Hi": 13048} {
		if got, ok := b.TokenToID(tok); !ok || got != want {
			t.Errorf("TokenToID(%q) = %d, %v; want %d, true", tok, got, ok, want)
		}
		if got, ok := b.IDToToken(want); !ok || got != tok {
			t.Errorf("IDToToken(%d) = %q, %v; want %q, true", want, got, ok, tok)
		}
	}
	for _, id := range []int{-1, 151669, 151935, 1 << 40} {
		if got, ok := b.IDToToken(id); ok {
			t.Errorf("IDToToken(%d) = %q, true; want false", id, got)
		}
	}
	if _, err := b.Decode([]int{13048, 151700}); !errors.Is(err, tokenize.ErrUnknownID) {
		t.Errorf("Decode with id 151700: error %v, want ErrUnknownID", err)
	}
	if got := len(b.AddedTokens()); got != 26 {
		t.Errorf("len(AddedTokens()) = %d, want 26", got)
	}
}

// TestBPE_Golden compares with encodings and decodings recorded from the
// Hugging Face tokenizers library (testdata/gen_bpe.js).
func TestBPE_Golden(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "bpe.golden.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type line struct {
		Tokenizer string   `json:"tokenizer"`
		Text      string   `json:"text"`
		IDs       []int    `json:"ids"`
		Tokens    []string `json:"tokens"`
		Decode    []int    `json:"decode"`
	}
	byName := map[string][]line{}
	var order []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		if _, ok := byName[l.Tokenizer]; !ok {
			order = append(order, l.Tokenizer)
		}
		byName[l.Tokenizer] = append(byName[l.Tokenizer], l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(order) != len(tinyNames)+1 {
		t.Fatalf("golden file has tokenizers %v, want %v and qwen", order, tinyNames)
	}
	for _, name := range order {
		t.Run(name, func(t *testing.T) {
			b := tokenizerByName(t, name)
			encodes, decodes := 0, 0
			for _, l := range byName[name] {
				if l.Decode != nil {
					decodes++
					got, err := b.Decode(l.Decode)
					if err != nil || got != l.Text {
						t.Errorf("Decode(%v) = %q, %v; want %q", l.Decode, got, err, l.Text)
					}
					continue
				}
				encodes++
				ids, texts := splitTokens(b.Encode(l.Text))
				if !slices.Equal(ids, l.IDs) || !slices.Equal(texts, l.Tokens) {
					t.Errorf("Encode(%q) =\n%v %q\nwant\n%v %q", l.Text, ids, texts, l.IDs, l.Tokens)
				}
			}
			if encodes < 100 || decodes < 50 {
				t.Errorf("%d encodings and %d decodings, want at least 100 and 50", encodes, decodes)
			}
		})
	}
}

// tinyJSON returns testdata/bpe/<name>.json decoded, for tests that change it.
func tinyJSON(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "bpe", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseBPE_Errors(t *testing.T) {
	byteLevel := map[string]any{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}
	tests := []struct {
		name   string
		change func(m, model map[string]any)
		raw    string // used instead of the changed file when set
		want   error
		msg    string // exact message, when set
	}{
		{name: "Metaspace", change: func(m, _ map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}
		}, want: tokenize.ErrUnsupported, msg: `tokenize: unsupported pre_tokenizer type "Metaspace"`},
		{name: "Unigram", change: func(_, model map[string]any) { model["type"] = "Unigram" },
			want: tokenize.ErrUnsupported, msg: `tokenize: unsupported model type "Unigram": only BPE and WordPiece are supported`},
		{name: "WordPieceWithMerges", change: func(_, model map[string]any) { model["type"] = "WordPiece" },
			want: tokenize.ErrMalformed, msg: `tokenize: malformed tokenizer.json: WordPiece model has merges`},
		{name: "Precompiled", change: func(m, _ map[string]any) {
			m["normalizer"] = map[string]any{"type": "Sequence", "normalizers": []any{map[string]any{"type": "NFC"}, map[string]any{"type": "Precompiled"}}}
		}, want: tokenize.ErrUnsupported, msg: `tokenize: unsupported normalizer[1] type "Precompiled"`},
		{name: "DecoderCTC", change: func(m, _ map[string]any) { m["decoder"] = map[string]any{"type": "CTC"} },
			want: tokenize.ErrUnsupported, msg: `tokenize: unsupported decoder type "CTC"`},
		{name: "LookBehind", change: func(m, _ map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Sequence", "pretokenizers": []any{
				map[string]any{"type": "Split", "pattern": map[string]any{"Regex": `(?<=a)b`}, "behavior": "Isolated", "invert": false}, byteLevel}}
		}, want: tokenize.ErrUnsupported},
		{name: "RegexWordClass", change: func(m, _ map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Split", "pattern": map[string]any{"Regex": `\w+`}, "behavior": "Isolated", "invert": false}
		}, want: tokenize.ErrUnsupported},
		{name: "RegexEmpty", change: func(m, _ map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Split", "pattern": map[string]any{"Regex": `a*`}, "behavior": "Isolated", "invert": false}
		}, want: tokenize.ErrUnsupported},
		{name: "RegexBad", change: func(m, _ map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Split", "pattern": map[string]any{"Regex": `(a`}, "behavior": "Isolated", "invert": false}
		}, want: tokenize.ErrUnsupported},
		{name: "SplitBehavior", change: func(m, _ map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Split", "pattern": map[string]any{"String": " "}, "behavior": "Sideways", "invert": false}
		}, want: tokenize.ErrUnsupported, msg: `tokenize: unsupported pre_tokenizer Split behavior "Sideways"`},
		{name: "SplitNoPattern", change: func(m, _ map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Split", "behavior": "Isolated", "invert": false}
		}, want: tokenize.ErrMalformed},
		{name: "Whitespace", change: func(m, _ map[string]any) { m["pre_tokenizer"] = map[string]any{"type": "Whitespace"} },
			want: tokenize.ErrUnsupported},
		{name: "PostProcessorUnknown", change: func(m, _ map[string]any) { m["post_processor"] = map[string]any{"type": "Magic"} },
			want: tokenize.ErrUnsupported, msg: `tokenize: unsupported post_processor type "Magic"`},
		{name: "TemplateUnknownSpecial", change: func(m, _ map[string]any) {
			m["post_processor"] = map[string]any{"type": "TemplateProcessing", "single": []any{
				map[string]any{"SpecialToken": map[string]any{"id": "<s>", "type_id": 0}}, map[string]any{"Sequence": map[string]any{"id": "A", "type_id": 0}}},
				"special_tokens": map[string]any{}}
		}, want: tokenize.ErrMalformed},
		{name: "TemplateBadID", change: func(m, _ map[string]any) {
			m["post_processor"] = map[string]any{"type": "TemplateProcessing", "single": []any{
				map[string]any{"SpecialToken": map[string]any{"id": "<s>", "type_id": 0}}, map[string]any{"Sequence": map[string]any{"id": "A", "type_id": 0}}},
				"special_tokens": map[string]any{"<s>": map[string]any{"id": "<s>", "ids": []any{1 << 20}, "tokens": []any{"<s>"}}}}
		}, want: tokenize.ErrMalformed},
		{name: "StripTwoChars", change: func(m, _ map[string]any) {
			m["decoder"] = map[string]any{"type": "Strip", "content": "ab", "start": 1, "stop": 0}
		}, want: tokenize.ErrMalformed},
		{name: "SplitAfterByteLevel", change: func(m, _ map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Sequence", "pretokenizers": []any{byteLevel, byteLevel}}
		}, want: tokenize.ErrUnsupported},
		{name: "Dropout", change: func(_, model map[string]any) { model["dropout"] = 0.1 }, want: tokenize.ErrUnsupported},
		{name: "Prefix", change: func(_, model map[string]any) { model["continuing_subword_prefix"] = "##" }, want: tokenize.ErrUnsupported},
		{name: "MergeOOV", change: func(_, model map[string]any) { model["merges"] = []any{"Ġ zzz"} },
			want: tokenize.ErrMalformed, msg: `tokenize: malformed tokenizer.json: merge 0: token "zzz" is not in the vocab`},
		{name: "MergedOOV", change: func(_, model map[string]any) { model["merges"] = []any{"Ġ <|endoftext|>"} },
			want: tokenize.ErrMalformed},
		{name: "MergeThreeParts", change: func(_, model map[string]any) { model["merges"] = []any{"Ġ Ġ Ġ"} }, want: tokenize.ErrMalformed},
		{name: "MergeOnePart", change: func(_, model map[string]any) { model["merges"] = []any{"ĠĠ"} }, want: tokenize.ErrMalformed},
		{name: "MergePairOfThree", change: func(_, model map[string]any) { model["merges"] = []any{[]any{"Ġ", "Ġ", "Ġ"}} }, want: tokenize.ErrMalformed},
		{name: "MergesNotList", change: func(_, model map[string]any) { model["merges"] = 3 }, want: tokenize.ErrMalformed},
		{name: "NegativeID", change: func(_, model map[string]any) { model["vocab"].(map[string]any)["Ġ"] = -1 }, want: tokenize.ErrMalformed},
		{name: "HugeID", change: func(_, model map[string]any) { model["vocab"].(map[string]any)["zz"] = 1 << 30 }, want: tokenize.ErrMalformed},
		{name: "SparseIDs", change: func(_, model map[string]any) { model["vocab"].(map[string]any)["zz"] = 5_000_000 }, want: tokenize.ErrMalformed},
		{name: "FractionalID", change: func(_, model map[string]any) { model["vocab"].(map[string]any)["zz"] = 1.5 }, want: tokenize.ErrMalformed},
		{name: "NoVocab", change: func(_, model map[string]any) { delete(model, "vocab") }, want: tokenize.ErrMalformed},
		{name: "NoModel", change: func(m, _ map[string]any) { delete(m, "model") }, want: tokenize.ErrMalformed},
		{name: "UnkMissing", change: func(_, model map[string]any) { model["unk_token"] = "<nope>" }, want: tokenize.ErrMalformed},
		{name: "AddedTokenFields", change: func(m, _ map[string]any) {
			m["added_tokens"] = []any{map[string]any{"id": 5000, "content": "<x>", "special": true}}
		}, want: tokenize.ErrMalformed},
		{name: "ByteLevelNoTrim", change: func(m, _ map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "ByteLevel", "add_prefix_space": false}
		}, want: tokenize.ErrMalformed, msg: "tokenize: malformed tokenizer.json: pre_tokenizer ByteLevel has no trim_offsets"},
		{name: "NoType", change: func(m, _ map[string]any) { m["normalizer"] = map[string]any{"x": 1} }, want: tokenize.ErrMalformed},
		{name: "NotJSON", raw: `{"model": `, want: tokenize.ErrMalformed},
		{name: "Array", raw: `[]`, want: tokenize.ErrMalformed},
		{name: "Empty", raw: ``, want: tokenize.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.raw)
			if tt.change != nil {
				m := tinyJSON(t, "tiny_gpt2")
				model, _ := m["model"].(map[string]any)
				tt.change(m, model)
				data = mustJSON(t, m)
			}
			_, err := tokenize.ParseBPE(data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseBPE() = %v; want error %v", err, tt.want)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("ParseBPE() error %q, want %q", err, tt.msg)
			}
		})
	}
}

// TestParseBPE_Lenient covers what Hugging Face accepts too.
func TestParseBPE_Lenient(t *testing.T) {
	tests := []struct {
		name   string
		change func(m, model map[string]any)
	}{
		{"NoModelType", func(_, model map[string]any) { delete(model, "type") }},
		{"NoDecoder", func(m, _ map[string]any) { delete(m, "decoder") }},
		{"NoNormalizer", func(m, _ map[string]any) { delete(m, "normalizer") }},
		{"NoAddedTokens", func(m, _ map[string]any) { delete(m, "added_tokens") }},
		{"DropoutZero", func(_, model map[string]any) { model["dropout"] = 0.0 }},
		{"NoUseRegex", func(m, _ map[string]any) { delete(m["pre_tokenizer"].(map[string]any), "use_regex") }},
		{"DuplicateMerge", func(_, model map[string]any) {
			model["merges"] = append(model["merges"].([]any), model["merges"].([]any)[0])
		}},
	}
	want := tinyBPE(t, "tiny_gpt2").EncodeIDs("Hello world, it's 2024!")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tinyJSON(t, "tiny_gpt2")
			model, _ := m["model"].(map[string]any)
			tt.change(m, model)
			b, err := tokenize.ParseBPE(mustJSON(t, m))
			if err != nil {
				t.Fatalf("ParseBPE() error %v", err)
			}
			got := b.EncodeIDs("Hello world, it's 2024!")
			if tt.name == "DuplicateMerge" {
				return // the first merge now ranks last: ids may differ
			}
			if !slices.Equal(got, want) {
				t.Errorf("EncodeIDs = %v, want %v", got, want)
			}
		})
	}
}

// TestBPE_NoDecoder: without a decoder, Hugging Face joins the tokens with
// spaces.
func TestBPE_NoDecoder(t *testing.T) {
	m := tinyJSON(t, "tiny_gpt2")
	m["decoder"] = nil
	b, err := tokenize.ParseBPE(mustJSON(t, m))
	if err != nil {
		t.Fatal(err)
	}
	ids := b.EncodeIDs("Hi there")
	got, err := b.Decode(ids)
	if want := "H i Ġthere"; err != nil || got != want {
		t.Errorf("Decode(%v) = %q, %v; want %q", ids, got, err, want)
	}
}

// TestBPE_Concurrent encodes from several goroutines at once (run with
// -race) and checks the results against a sequential run.
func TestBPE_Concurrent(t *testing.T) {
	b := tinyBPE(t, "tiny_qwen")
	texts := []string{"Hello, world!", "我爱自然语言处理。", "<|im_start|>user\nHi<|im_end|>", "def f(x):\n    return x\n", "naïve café ΟΔΟΣ 😀"}
	for i := 0; i < 50; i++ {
		texts = append(texts, strings.Repeat("word"+string(rune('a'+i%26)), i%7+1)+" "+string(rune(0x4e00+i)))
	}
	want := make([][]int, len(texts))
	for i, s := range texts {
		want[i] = b.EncodeIDs(s)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(texts))
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := range texts {
				i := (k + g*7) % len(texts)
				if got := b.EncodeIDs(texts[i]); !slices.Equal(got, want[i]) {
					errs <- fmt.Sprintf("goroutine %d: EncodeIDs(%q) = %v, want %v", g, texts[i], got, want[i])
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// FuzzLoadBPE feeds arbitrary bytes to ParseBPE: it must never panic, an
// error must wrap ErrMalformed or ErrUnsupported, and a tokenizer it accepts
// must encode and decode without panicking.
func FuzzLoadBPE(f *testing.F) {
	small := `{"added_tokens":[{"id":6,"content":"<s>","single_word":false,"lstrip":true,"rstrip":false,"normalized":false,"special":true}],` +
		`"normalizer":{"type":"NFC"},"pre_tokenizer":{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true},` +
		`"decoder":{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true},` +
		`"model":{"type":"BPE","dropout":null,"unk_token":"u","fuse_unk":true,"byte_fallback":true,"ignore_merges":true,` +
		`"vocab":{"u":0,"a":1,"b":2,"ab":3,"Ġ":4,"Ġab":5,"<0x41>":7},"merges":["a b","Ġ ab"]}}`
	f.Add([]byte(small))
	f.Add([]byte(strings.Replace(small, `"a b","Ġ ab"`, `["a","b"],["Ġ","ab"]`, 1)))
	f.Add([]byte(`{"model":{"vocab":{},"merges":[]},"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"` +
		strings.ReplaceAll(strings.ReplaceAll(`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`, `\`, `\\`), `"`, `\"`) +
		`"},"behavior":"Isolated","invert":false},{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":false,"use_regex":false}]}}`))
	data, err := os.ReadFile(filepath.Join("testdata", "bpe", "tiny_unk.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	// SentencePiece-style BPE as Llama 2 and Gemma 3 write it.
	f.Add([]byte(tinySentencePiece))
	// Any regex, inverted, with the look-ahead tail (o200k style).
	f.Add([]byte(`{"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"},"behavior":"Removed","invert":true},` +
		`{"type":"Split","pattern":{"Regex":"[一-龥]+"},"behavior":"Contiguous","invert":false},` +
		`{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":false}]},"decoder":{"type":"ByteLevel"},` +
		`"post_processor":{"type":"BertProcessing","sep":["b",2],"cls":["a",1]},` +
		`"model":{"type":"BPE","vocab":{"Ġ":0,"a":1,"b":2,"ab":3},"merges":[["a","b"]]}}`))
	// WordPiece as BERT writes it.
	f.Add([]byte(`{"normalizer":{"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,"strip_accents":null,"lowercase":true},` +
		`"pre_tokenizer":{"type":"BertPreTokenizer"},"decoder":{"type":"WordPiece","prefix":"##","cleanup":true},` +
		`"post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"special_tokens":{"[CLS]":{"id":"[CLS]","ids":[1],"tokens":["[CLS]"]}}},` +
		`"model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":5,"vocab":{"[UNK]":0,"[CLS]":1,"a":2,"##b":3,"hello":4,",":5}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := tokenize.ParseBPE(data)
		if err != nil {
			if !errors.Is(err, tokenize.ErrMalformed) && !errors.Is(err, tokenize.ErrUnsupported) {
				t.Fatalf("ParseBPE error %v wraps neither ErrMalformed nor ErrUnsupported", err)
			}
			return
		}
		for _, s := range []string{"", "ab ab", "Hello, world! <s> x", "你好 \xff\xfe", " \n\t 'll 42"} {
			ids := b.EncodeIDs(s)
			for _, id := range ids {
				if id < 0 || id >= b.VocabSize() {
					t.Fatalf("EncodeIDs(%q) gave id %d outside [0, %d)", s, id, b.VocabSize())
				}
			}
			if _, err := b.Decode(ids); err != nil {
				t.Fatalf("Decode(EncodeIDs(%q)) error %v", s, err)
			}
			for _, tok := range b.AddSpecialTokens(b.Encode(s)) {
				if _, ok := b.TokenText(tok.ID); !ok {
					t.Fatalf("TokenText(%d) of an encoded token not found", tok.ID)
				}
			}
		}
		for id := -1; id <= b.VocabSize() && id < 64; id++ {
			if tok, ok := b.IDToToken(id); ok {
				if got, ok := b.TokenToID(tok); !ok {
					t.Fatalf("TokenToID(IDToToken(%d) = %q) not found (got %d)", id, tok, got)
				}
			}
		}
	})
}

// roundTrips reports whether Hugging Face itself gives back NFC(s) when
// decoding the encoding of s, given the added tokens of b. It does not when
// an added token matched in the raw text strips whitespace (lstrip/rstrip)
// or decodes to other text than its content (a content in the byte-level
// alphabet, such as "ĠĠcustom"), or when the text next to it would combine
// with it under NFC: the normalizer runs on the pieces between added tokens,
// not on the whole text.
func roundTrips(b *tokenize.BPE, s string) bool {
	nfc := norm.NFC.String(s)
	for id, content := range b.AddedTokens() {
		if !strings.Contains(s, content) && !strings.Contains(nfc, content) {
			continue
		}
		if dec, err := b.Decode([]int{id}); err != nil || dec != content {
			return false
		}
		if got := b.Encode(content); len(got) != 1 || got[0].Text != content {
			return false // lstrip, rstrip or single_word at work
		}
		if !norm.NFC.IsNormalString(content) || !norm.NFC.PropertiesString(content).BoundaryBefore() {
			return false
		}
		for rest := s; ; {
			i := strings.Index(rest, content)
			if i < 0 {
				break
			}
			rest = rest[i+len(content):]
			if rest != "" && !norm.NFC.PropertiesString(rest).BoundaryBefore() {
				return false
			}
		}
	}
	return true
}

// FuzzBPE_RoundTrip checks Decode(Encode(s)) == NFC(s) on the small
// Qwen-like tokenizer and, when ../shared is present, on Qwen's own. Invalid
// UTF-8 is first replaced as Encode documents. Inputs for which Hugging Face
// does not round-trip either (see roundTrips) are skipped.
func FuzzBPE_RoundTrip(f *testing.F) {
	for _, s := range []string{"", "Hi, 你好~", "Hello  world\n\n", "cafe\u0301", "<|im_start|>user\nhi<|im_end|>",
		"<think>x</think>", "'s 'LL ſ", "\xff\xfe", "emoji 👨‍👩‍👧", "\u3000\u00a0\u2028", "a<|endoftext|>\u0338"} {
		f.Add(s)
	}
	tokenizers := []*tokenize.BPE{tinyBPE(f, "tiny_qwen")}
	if _, err := sharedDir(); err == nil {
		tokenizers = append(tokenizers, qwenBPE(f))
	} else {
		f.Logf("shared test data absent (%v): checking the small tokenizer only", err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := norm.NFC.String(tokenize.LossyString([]byte(s)))
		for _, b := range tokenizers {
			if !roundTrips(b, tokenize.LossyString([]byte(s))) {
				continue
			}
			ids := b.EncodeIDs(s)
			got, err := b.Decode(ids)
			if err != nil || got != want {
				t.Fatalf("Decode(EncodeIDs(%q)) = %q, %v; want %q (ids %v)", s, got, err, want, ids)
			}
		}
	})
}

// TestParseBPE_ManyAddedTokens loads 5,000 added tokens (as files with
// reserved slots have) and checks ids and longest-first matching.
func TestParseBPE_ManyAddedTokens(t *testing.T) {
	m := tinyJSON(t, "tiny_gpt2")
	vocabSize := len(m["model"].(map[string]any)["vocab"].(map[string]any))
	var added []any
	for i := 0; i < 5000; i++ {
		added = append(added, map[string]any{"id": vocabSize + i, "content": fmt.Sprintf("<unused_%d>", i),
			"single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true})
	}
	m["added_tokens"] = added
	b, err := tokenize.ParseBPE(mustJSON(t, m))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.VocabSize(), vocabSize+5000; got != want {
		t.Errorf("VocabSize() = %d, want %d", got, want)
	}
	text := "<unused_1><unused_12><unused_123x<unused_4999>"
	got := b.Encode(text)
	want := []tokenize.Token{{ID: vocabSize + 1, Text: "<unused_1>"}, {ID: vocabSize + 12, Text: "<unused_12>"}}
	if len(got) < 3 || !slices.Equal(got[:2], want) || got[len(got)-1] != (tokenize.Token{ID: vocabSize + 4999, Text: "<unused_4999>"}) {
		t.Errorf("Encode(%q) = %v, want %v, then the BPE tokens of %q, then <unused_4999>", text, got, want, "<unused_123x")
	}
	if dec, err := b.Decode(b.EncodeIDs(text)); err != nil || dec != text {
		t.Errorf("Decode(EncodeIDs(%q)) = %q, %v", text, dec, err)
	}
}

// tinySentencePiece is a small tokenizer.json built as Llama 2's is:
// Prepend and Replace normalizers, characters merged, byte fallback, a fused
// unk, a BOS template and a Replace/ByteFallback/Fuse/Strip decoder.
const tinySentencePiece = `{"added_tokens":[{"id":1,"content":"<s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],` +
	`"normalizer":{"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},{"type":"Replace","pattern":{"String":" "},"content":"▁"}]},` +
	`"pre_tokenizer":{"type":"Split","pattern":{"String":" "},"behavior":"MergedWithPrevious","invert":false},` +
	`"post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}},` +
	`"decoder":{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},{"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]},` +
	`"model":{"type":"BPE","unk_token":"<unk>","fuse_unk":true,"byte_fallback":true,` +
	`"vocab":{"<unk>":0,"<s>":1,"<0x41>":2,"<0xE4>":3,"▁":4,"a":5,"b":6,"ab":7,"▁ab":8},"merges":["a b","▁ ab"]}}`

func TestBPE_SentencePieceTiny(t *testing.T) {
	b, err := tokenize.ParseBPE([]byte(tinySentencePiece))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text    string
		ids     []int
		decoded string
	}{
		{"ab ab", []int{8, 8}, "ab ab"},
		{"A", []int{4, 2}, "A"},                   // byte fallback
		{"Zä", []int{4, 0}, "<unk>"},              // no <0xC3>: one fused unk
		{"a<s>b", []int{4, 5, 1, 4, 6}, "a<s> b"}, // each piece gets its own ▁
		{"", nil, ""},
	}
	for _, tt := range tests {
		got, _ := splitTokens(b.Encode(tt.text))
		if !slices.Equal(got, tt.ids) && !(len(got) == 0 && len(tt.ids) == 0) {
			t.Errorf("Encode(%q) = %v, want %v", tt.text, got, tt.ids)
			continue
		}
		if dec, err := b.Decode(got); err != nil || dec != tt.decoded {
			t.Errorf("Decode(%v) = %q, %v; want %q", got, dec, err, tt.decoded)
		}
	}
	if got, _ := splitTokens(b.AddSpecialTokens(b.Encode("ab"))); !slices.Equal(got, []int{1, 8}) {
		t.Errorf("AddSpecialTokens(Encode(ab)) = %v, want [1 8]", got)
	}
	if got, ok := b.TokenText(8); !ok || got != " ab" {
		t.Errorf("TokenText(8) = %q, %v; want \" ab\"", got, ok)
	}
}
