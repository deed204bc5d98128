package recfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func readAll(t *testing.T, src string, f Format) ([]Record, error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(src), f)
	if err != nil {
		return nil, err
	}
	var out []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

func TestReader_JSONL(t *testing.T) {
	recs, err := readAll(t, "{\"id\": \"a\", \"v\": [1, 2.5]}\n\n{\"id\": 7, \"x\": null}\n", JSONL)
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{Line: 1, Fields: []Field{{"id", "a"}, {"v", []any{json.Number("1"), json.Number("2.5")}}}},
		{Line: 3, Fields: []Field{{"id", json.Number("7")}, {"x", nil}}},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("records = %v, want %v", recs, want)
	}
	v, err := Vector(recs[0].Fields[1].Value)
	if err != nil || !reflect.DeepEqual(v, []float32{1, 2.5}) {
		t.Errorf("Vector = %v, %v", v, err)
	}
}

func TestReader_Errors(t *testing.T) {
	tests := []struct {
		src  string
		f    Format
		want string
	}{
		{"{\"a\": 1}\n[1]\n", JSONL, "line 2: expected a JSON object {...}"},
		{"{\"a\": 1}\n{\"a\": 1, \"a\": 2}\n", JSONL, `line 2: field "a" given twice`},
		{"{\"a\": 1} x\n", JSONL, "line 1: text after the JSON object"},
		{"{\"a\": \n", JSONL, "line 1: not JSON: the line ends inside the object"},
		{"{\"a\": 1, \"b\": x}\n", JSONL, "line 1: not JSON after column 13: invalid character 'x' looking for beginning of value"},
		{"a,b\n1,2\n3\n", CSV, "line 3: 1 cells, the header has 2"},
		{"a,a\n", CSV, `line 1: the header names column "a" twice or is empty`},
		{"", CSV, "line 1: the file is empty: a CSV file needs a header row"},
		{"a\n\"x\n", CSV, `line 2: extraneous or missing " in quoted-field`},
	}
	for _, tt := range tests {
		_, err := readAll(t, tt.src, tt.f)
		var le *LineError
		if err == nil || !errors.As(err, &le) || err.Error() != tt.want {
			t.Errorf("%q: error %v, want %s", tt.src, err, tt.want)
		}
	}
}

func TestWriter_RoundTrip(t *testing.T) {
	for _, f := range []Format{JSONL, CSV} {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, f, []string{"word", "vector", "n", "j", "b", "r"})
		if err != nil {
			t.Fatal(err)
		}
		vals := []any{"a,\"b", []float32{0.1, -2}, int64(3), RawJSON(`{"k":[1]}`), true, nil}
		if err := w.Write(vals); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		recs, err := readAll(t, buf.String(), f)
		if err != nil || len(recs) != 1 {
			t.Fatalf("%s: read back %v, %v from %q", f, recs, err, buf.String())
		}
		fs := recs[0].Fields
		if fs[0].Value != "a,\"b" || fs[5].Value != nil {
			t.Errorf("%s: read back %v", f, fs)
		}
		if v, err := Vector(fs[1].Value); err != nil || !reflect.DeepEqual(v, []float32{0.1, -2}) {
			t.Errorf("%s: vector read back as %v, %v", f, v, err)
		}
	}
}

// FuzzReader checks that no input makes either reader panic, and that an
// error names a line.
func FuzzReader(f *testing.F) {
	f.Add("{\"id\": \"a\", \"v\": [1, 2]}\n", false)
	f.Add("word,vector\na,\"[1,2]\"\n", true)
	f.Add("{\"a\": {\"b\": [null, true]}}\n{}", false)
	f.Fuzz(func(t *testing.T, src string, csv bool) {
		format := JSONL
		if csv {
			format = CSV
		}
		r, err := NewReader(strings.NewReader(src), format)
		for i := 0; err == nil && i < 1000; i++ {
			var rec Record
			rec, err = r.Next()
			for _, fl := range rec.Fields {
				Vector(fl.Value)
			}
		}
		var le *LineError
		if err != nil && err != io.EOF && !errors.As(err, &le) {
			t.Fatalf("error without a line: %v", err)
		}
	})
}
