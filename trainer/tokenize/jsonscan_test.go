package tokenize

import (
	"encoding/json"
	"errors"
	"maps"
	"testing"
)

// FuzzJSONScanner checks the scanner against encoding/json: it must accept
// exactly the documents json.Valid accepts, and decode every string value to
// the same text.
func FuzzJSONScanner(f *testing.F) {
	for _, s := range []string{
		`{"a": [1, -2.5e3, true, false, null, "x\u00e9\ud83d\ude00\ud800"]}`, `"\u0041\n\t\\\/\""`, `[[], {}, ""]`,
		`{"vocab": {"a": 0}, "merges": ["a b", ["a", "b"]]}`, `01`, `"\x01"`, `"\xff"`, `[1,]`, `{"a" 1}`, ` 1e+5 `, `-0`, `"\ud800\u0041"`,
		`007`, `12.0`, `1e2`, `123456789012345678`, `1234567890123456789`, `9223372036854775808`, ` 42 `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &jsonScanner{data: data}
		_, err := s.skip(0)
		if err == nil {
			if s.ws(); s.pos != len(data) {
				err = s.fail("trailing data")
			}
		}
		if valid := json.Valid(data); valid != (err == nil) {
			t.Fatalf("scanner on %q: error %v; json.Valid = %v", data, err, valid)
		}
		if err != nil || len(data) == 0 {
			return
		}
		if s := (&jsonScanner{data: data}); s.peek() == '-' || s.peek()-'0' <= 9 {
			got, err := s.integer()
			if err == nil {
				if s.ws(); s.pos != len(data) {
					err = s.fail("trailing data")
				}
			}
			var want int64
			jerr := json.Unmarshal(data, &want)
			if (err == nil) != (jerr == nil) || got != want && err == nil {
				t.Fatalf("integer(%q) = %d, %v; encoding/json gives %d, %v", data, got, err, want, jerr)
			}
		}
		if s := (&jsonScanner{data: data}); s.peek() == '"' {
			got, err := s.str(nil)
			var want string
			if jerr := json.Unmarshal(data, &want); jerr != nil || err != nil || string(got) != want {
				t.Fatalf("str(%q) = %q, %v; encoding/json gives %q, %v", data, got, err, want, jerr)
			}
		}
	})
}

// TestParseBPE_StringForms checks that the scanner decodes escaped tokens
// and both merge forms to the same tokenizer.
func TestParseBPE_StringForms(t *testing.T) {
	head := `{"pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":false},"model":{"vocab":`
	plain := head + `{"a":0,"é":1,"aé":2,"Ġ":3},"merges":["a é"]}}`
	escaped := head + `{"\u0061":0,"\u00e9":1,"a\u00E9":2,"\u0120":3},"merges":[["a","\u00e9"]]}}`
	for _, data := range []string{plain, escaped} {
		b, err := ParseBPE([]byte(data))
		if err != nil {
			t.Fatalf("ParseBPE(%s): %v", data, err)
		}
		if id, ok := b.TokenToID("aé"); !ok || id != 2 {
			t.Errorf("ParseBPE(%s): TokenToID(aé) = %d, %v; want 2, true", data, id, ok)
		}
		if m, ok := b.merges.get(pairKey(0, 1)); !ok || m != (mergeRule{0, 2}) {
			t.Errorf("ParseBPE(%s): merge (a, é) = %v, %v; want rank 0 -> 2", data, m, ok)
		}
	}
}

// TestVocabTable checks the vocabulary table against a map: duplicates
// (the later id wins), the empty token, missing keys, and batched lookups,
// in a table small enough for keys to collide.
func TestVocabTable(t *testing.T) {
	toks := []string{"a", "b", "", "ab", "a", "▁the", "é", "b"}
	ids := []int64{0, 1, 2, 3, 4, 5, 6, 7}
	var buf []byte
	var ends []int
	want := map[string]int32{}
	for i, tok := range toks {
		buf = append(buf, tok...)
		ends = append(ends, len(buf))
		want[tok] = int32(ids[i])
	}
	v, err := newVocabTable(string(buf), ends, ids)
	if err != nil {
		t.Fatal(err)
	}
	if v.len() != len(want) {
		t.Errorf("len() = %d, want %d", v.len(), len(want))
	}
	got := map[string]int32{}
	v.all(func(tok string, id int32) { got[tok] = id })
	if !maps.Equal(got, want) {
		t.Errorf("all() = %v, want %v", got, want)
	}
	keys := [][]byte{[]byte("a"), []byte("zz"), []byte(""), []byte("▁the"), []byte("ab"), []byte("abc"), []byte("b")}
	batch := make([]int32, len(keys))
	v.getBatch(keys, batch)
	for i, k := range keys {
		w, ok := want[string(k)]
		if !ok {
			w = -1
		}
		if id, ok2 := v.get(string(k)); id != w || ok2 != ok {
			t.Errorf("get(%q) = %d, %v; want %d, %v", k, id, ok2, w, ok)
		}
		if id, ok2 := v.getBytes(k); id != w || ok2 != ok {
			t.Errorf("getBytes(%q) = %d, %v; want %d, %v", k, id, ok2, w, ok)
		}
		if batch[i] != w {
			t.Errorf("getBatch: %q -> %d, want %d", k, batch[i], w)
		}
	}
	if _, err := newVocabTable("x", []int{1}, []int64{maxTokenID}); !errors.Is(err, ErrMalformed) {
		t.Errorf("id %d: error %v, want ErrMalformed", maxTokenID, err)
	}
}
