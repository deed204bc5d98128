package tokenize

import (
	"encoding/json"
	"testing"
)

// FuzzJSONScanner checks the scanner against encoding/json: it must accept
// exactly the documents json.Valid accepts, and decode every string value to
// the same text.
func FuzzJSONScanner(f *testing.F) {
	for _, s := range []string{
		`{"a": [1, -2.5e3, true, false, null, "x\u00e9\ud83d\ude00\ud800"]}`, `"\u0041\n\t\\\/\""`, `[[], {}, ""]`,
		`{"vocab": {"a": 0}, "merges": ["a b", ["a", "b"]]}`, `01`, `"\x01"`, `"\xff"`, `[1,]`, `{"a" 1}`, ` 1e+5 `, `-0`, `"\ud800\u0041"`,
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
