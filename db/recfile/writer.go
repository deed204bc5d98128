package recfile

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// RawJSON is a value written as the JSON it holds (a JSON column's value).
type RawJSON string

// Writer writes records with the same names, in order.
type Writer struct {
	f     Format
	names []string
	bw    *bufio.Writer
	cw    *csv.Writer
	buf   []byte
}

// NewWriter returns a writer of records whose fields are names; for CSV
// it writes the header row.
func NewWriter(w io.Writer, f Format, names []string) (*Writer, error) {
	wr := &Writer{f: f, names: names, bw: bufio.NewWriterSize(w, 1<<16)}
	if f == CSV {
		wr.cw = csv.NewWriter(wr.bw)
		return wr, wr.cw.Write(names)
	}
	return wr, nil
}

// Write writes one record: vals[i] is the value of names[i] (string,
// int64, float64, bool, nil, []float32 or RawJSON).
func (w *Writer) Write(vals []any) error {
	if w.f == CSV {
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = string(appendValue(nil, v, true))
		}
		return w.cw.Write(cells)
	}
	b := append(w.buf[:0], '{')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		name, _ := json.Marshal(w.names[i])
		b = append(b, name...)
		b = append(b, ':')
		b = appendValue(b, v, false)
	}
	b = append(b, '}', '\n')
	w.buf = b
	_, err := w.bw.Write(b)
	return err
}

// appendValue writes v as JSON; in a CSV cell a string is written bare
// and NULL as an empty cell.
func appendValue(b []byte, v any, cell bool) []byte {
	switch x := v.(type) {
	case nil:
		if cell {
			return b
		}
		return append(b, "null"...)
	case string:
		if cell {
			return append(b, x...)
		}
		s, _ := json.Marshal(x)
		return append(b, s...)
	case RawJSON:
		return append(b, x...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case bool:
		return strconv.AppendBool(b, x)
	case []float32:
		b = append(b, '[')
		for i, f := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendFloat(b, float64(f), 'g', -1, 32)
		}
		return append(b, ']')
	}
	s, _ := json.Marshal(v)
	return append(b, s...)
}

// Flush writes what is buffered.
func (w *Writer) Flush() error {
	if w.cw != nil {
		w.cw.Flush()
		if err := w.cw.Error(); err != nil {
			return err
		}
	}
	return w.bw.Flush()
}
