package store

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/vecfile"
)

func TestParseElemType(t *testing.T) {
	tests := []struct {
		in   string
		want ElemType
		ok   bool
	}{
		{"float32", Float32, true}, {"F32", Float32, true}, {"Float", Float32, true},
		{"float16", Float16, true}, {"f16", Float16, true}, {"HALF", Float16, true},
		{"bfloat16", BFloat16, true}, {"BF16", BFloat16, true},
		// vecfile's extra spellings, and spaces, were never part of the language.
		{"fp32", 0, false}, {"FP16", 0, false}, {" f32", 0, false}, {"bf16 ", 0, false},
		{"", 0, false}, {"float64", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseElemType(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseElemType(%q) = %v, %v, want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	_, err := ParseElemType("int8")
	if want := `db: unknown element type "int8" (want float32, float16 or bfloat16)`; err == nil || err.Error() != want {
		t.Errorf("ParseElemType(int8) error = %v, want %s", err, want)
	}
}

// TestElemType_SameAsDType checks that a table's element type and a vector
// file's are one type, with the names and sizes both packages always had.
func TestElemType_SameAsDType(t *testing.T) {
	var d vecfile.DType = BFloat16 // compiles only if the types are the same
	if d != vecfile.BFloat16 {
		t.Errorf("BFloat16 = %v as a vecfile.DType, want %v", d, vecfile.BFloat16)
	}
	for _, tt := range []struct {
		e    ElemType
		name string
		size int
	}{{Float32, "float32", 4}, {Float16, "float16", 2}, {BFloat16, "bfloat16", 2}} {
		if tt.e.String() != tt.name || tt.e.Size() != tt.size {
			t.Errorf("%v: String() = %q, Size() = %d, want %q, %d", uint8(tt.e), tt.e.String(), tt.e.Size(), tt.name, tt.size)
		}
	}
}

// TestTableMeta_ElemJSON pins the on-disk form of a table's element type: a
// JSON number, as every earlier version wrote it.
func TestTableMeta_ElemJSON(t *testing.T) {
	old := `{"dim":4,"elem":2,"metric":"cosine","kind":"created","rows":0,"next_id":0,"chunk_rows":256,` +
		`"created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z"}`
	var m tableMeta
	if err := json.Unmarshal([]byte(old), &m); err != nil || m.Elem != BFloat16 {
		t.Fatalf("json.Unmarshal(old info) = %v, Elem %v, want BFloat16", err, m.Elem)
	}
	m.Elem = Float16
	raw, err := json.Marshal(&m)
	if err != nil || !strings.Contains(string(raw), `"elem":1,`) {
		t.Fatalf("json.Marshal(meta) = %s, %v, want \"elem\":1", raw, err)
	}
}
