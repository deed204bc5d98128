// Package recfile reads and writes rows as records: JSON Lines (one JSON
// object per line) and CSV with a header row, the forms a user's own
// embeddings arrive in. A record is a list of named fields; a vector is a
// JSON array (in CSV, a cell holding one). Errors name the line.
package recfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Format is a record file's format.
type Format int

// The formats.
const (
	JSONL Format = iota + 1
	CSV
)

// String returns the format's name as IMPORT and EXPORT take it.
func (f Format) String() string {
	switch f {
	case JSONL:
		return "jsonl"
	case CSV:
		return "csv"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ParseFormat reads a format name: jsonl (or ndjson, json) or csv.
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(s) {
	case "jsonl", "ndjson", "json":
		return JSONL, true
	case "csv":
		return CSV, true
	}
	return 0, false
}

// Field is one named value of a record. From JSON Lines, Value is what
// encoding/json decodes with UseNumber (json.Number, string, bool, nil,
// []any, map[string]any); from CSV, a string, or nil for an empty cell.
type Field struct {
	Name  string
	Value any
}

// Record is one row of a file, with the line it starts on.
type Record struct {
	Line   int
	Fields []Field
}

// LineError is an error at a line of the file.
type LineError struct {
	Line int
	Err  error
}

// Error prefixes the cause with its line.
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the cause.
func (e *LineError) Unwrap() error { return e.Err }

// Reader reads records.
type Reader struct {
	f    Format
	sc   *bufio.Scanner
	cr   *csv.Reader
	head []string
	line int
}

// maxLine bounds a JSON line: a 65,536-dimension vector in text.
const maxLine = 64 << 20

// NewReader returns a reader of r; for CSV it reads the header row.
func NewReader(r io.Reader, f Format) (*Reader, error) {
	rd := &Reader{f: f}
	if f == JSONL {
		rd.sc = bufio.NewScanner(r)
		rd.sc.Buffer(make([]byte, 64<<10), maxLine)
		return rd, nil
	}
	rd.cr = csv.NewReader(r)
	rd.cr.FieldsPerRecord = -1 // counted against the header by nextCSV
	head, err := rd.cr.Read()
	if err == io.EOF {
		return nil, &LineError{Line: 1, Err: errors.New("the file is empty: a CSV file needs a header row")}
	}
	if err != nil {
		return nil, csvError(err)
	}
	seen := map[string]bool{}
	for _, h := range head {
		if h == "" || seen[h] {
			return nil, &LineError{Line: 1, Err: fmt.Errorf("the header names column %q twice or is empty", h)}
		}
		seen[h] = true
	}
	rd.head = head
	return rd, nil
}

// Header returns the CSV header's names (nil for JSON Lines).
func (r *Reader) Header() []string { return r.head }

// Next returns the next record, or io.EOF after the last.
func (r *Reader) Next() (Record, error) {
	if r.f == CSV {
		return r.nextCSV()
	}
	for r.sc.Scan() {
		r.line++
		b := bytes.TrimSpace(r.sc.Bytes())
		if len(b) == 0 {
			continue
		}
		fields, err := decodeObject(b)
		if err != nil {
			return Record{}, &LineError{Line: r.line, Err: err}
		}
		return Record{Line: r.line, Fields: fields}, nil
	}
	if err := r.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return Record{}, &LineError{Line: r.line + 1, Err: fmt.Errorf("line longer than %d bytes", maxLine)}
		}
		return Record{}, err
	}
	return Record{}, io.EOF
}

func (r *Reader) nextCSV() (Record, error) {
	row, err := r.cr.Read()
	if err != nil {
		if err == io.EOF {
			return Record{}, io.EOF
		}
		return Record{}, csvError(err)
	}
	line, _ := r.cr.FieldPos(0)
	if len(row) != len(r.head) {
		return Record{}, &LineError{Line: line, Err: fmt.Errorf("%d cells, the header has %d", len(row), len(r.head))}
	}
	rec := Record{Line: line, Fields: make([]Field, len(row))}
	for i, cell := range row {
		rec.Fields[i] = Field{Name: r.head[i]}
		if cell != "" {
			rec.Fields[i].Value = cell
		}
	}
	return rec, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &LineError{Line: pe.Line, Err: pe.Err}
	}
	return err
}

// decodeObject decodes one JSON object, keeping its fields in order.
func decodeObject(b []byte) ([]Field, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	t, err := d.Token()
	if err != nil {
		return nil, notJSON(err, d)
	}
	if delim, ok := t.(json.Delim); !ok || delim != '{' {
		return nil, errors.New("expected a JSON object {...}")
	}
	var out []Field
	seen := map[string]bool{}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return nil, notJSON(err, d)
		}
		name, _ := t.(string)
		if seen[name] {
			return nil, fmt.Errorf("field %q given twice", name)
		}
		seen[name] = true
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, notJSON(err, d)
		}
		out = append(out, Field{Name: name, Value: v})
	}
	if _, err := d.Token(); err != nil {
		return nil, notJSON(err, d)
	}
	if d.More() {
		return nil, errors.New("text after the JSON object")
	}
	return out, nil
}

// notJSON describes a JSON error of a line: where in the line (the byte
// column of the last value read well) and what; "EOF" is said as the line
// ending inside the object.
func notJSON(err error, d *json.Decoder) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("not JSON: the line ends inside the object")
	}
	return fmt.Errorf("not JSON after column %d: %v", d.InputOffset(), err)
}

// Vector reads a field's value as a vector: a JSON array of numbers, or
// (from CSV) a cell holding one.
func Vector(v any) ([]float32, error) {
	if s, ok := v.(string); ok {
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		var arr any
		if err := d.Decode(&arr); err != nil {
			return nil, fmt.Errorf("expected a vector such as [0.1, 0.2], found %q", short(s))
		}
		v = arr
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("expected a vector such as [0.1, 0.2], found %s", describe(v))
	}
	out := make([]float32, len(arr))
	for i, e := range arr {
		n, ok := e.(json.Number)
		if !ok {
			return nil, fmt.Errorf("vector element %d is %s, not a number", i+1, describe(e))
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(float64(float32(f)), 0) {
			return nil, fmt.Errorf("vector element %d (%s) is not a finite float32", i+1, n)
		}
		out[i] = float32(f)
	}
	return out, nil
}

func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", short(x))
	case json.Number:
		return "the number " + string(x)
	case bool:
		return fmt.Sprintf("%v", x)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// Describe names a field value for an error message.
func Describe(v any) string { return describe(v) }
