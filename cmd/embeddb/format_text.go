package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/embeddb/embeddb/query"
)

// ---------------------------------------------------------------------------
// csv, tsv

// csvPrinter writes RFC 4180 records (with Comma '\t' for TSV). NULL is an
// empty field, as in sqlite3, unless .nullvalue says otherwise; a vector
// is one field, [a,b,c].
type csvPrinter struct {
	w    *csv.Writer
	opts printOptions
	rec  []string
}

func (c *csvPrinter) begin(cols []string) error {
	if c.opts.header {
		return c.w.Write(cols)
	}
	return nil
}

func (c *csvPrinter) row(vals []any) error {
	c.rec = c.rec[:0]
	for _, v := range vals {
		c.rec = append(c.rec, cellText(v, c.opts.nullText(""), ",", c.opts.vectors))
	}
	return c.w.Write(c.rec)
}

func (c *csvPrinter) end() error {
	c.w.Flush()
	return c.w.Error()
}

// ---------------------------------------------------------------------------
// list

// listPrinter writes each row on a line, its values separated by
// opts.sep ("|"), unquoted, as sqlite3's list mode.
type listPrinter struct {
	w    io.Writer
	opts printOptions
}

func (l *listPrinter) begin(cols []string) error {
	if !l.opts.header {
		return nil
	}
	_, err := io.WriteString(l.w, strings.Join(cols, l.opts.sep)+"\n")
	return err
}

func (l *listPrinter) row(vals []any) error {
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteString(l.opts.sep)
		}
		b.WriteString(cellText(v, l.opts.nullText(""), ",", l.opts.vectors))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(l.w, b.String())
	return err
}

func (l *listPrinter) end() error { return nil }

// ---------------------------------------------------------------------------
// line

// linePrinter writes each value on a line of its own, "name = value", the
// names aligned right (at least 5 wide), and a blank line between rows,
// as sqlite3's line mode.
type linePrinter struct {
	w     io.Writer
	opts  printOptions
	cols  []string
	width int
	n     int
}

func (l *linePrinter) begin(cols []string) error {
	l.cols, l.width = cols, 5
	for _, c := range cols {
		l.width = max(l.width, utf8.RuneCountInString(c))
	}
	return nil
}

func (l *linePrinter) row(vals []any) error {
	var b strings.Builder
	if l.n > 0 {
		b.WriteByte('\n')
	}
	l.n++
	for i, c := range l.cols {
		var v any
		if i < len(vals) {
			v = vals[i]
		}
		fmt.Fprintf(&b, "%*s = %s\n", l.width, c, cellText(v, l.opts.nullText(""), ", ", l.opts.vectors))
	}
	_, err := io.WriteString(l.w, b.String())
	return err
}

func (l *linePrinter) end() error { return nil }

// ---------------------------------------------------------------------------
// quote, insert

// sqlPrinter writes values as the language's literals: 'cat', NULL,
// [0.1,0.2], TRUE. In quote mode a row is its literals separated by
// commas (the column names quoted as strings with -header); in insert
// mode it is an INSERT statement into opts.table, with the column names
// listed when the header is on, as sqlite3's insert mode.
type sqlPrinter struct {
	w    io.Writer
	opts printOptions
	cols []string
}

func (s *sqlPrinter) begin(cols []string) error {
	s.cols = cols
	if s.opts.mode != modeQuote || !s.opts.header {
		return nil
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = query.QuoteString(c)
	}
	_, err := io.WriteString(s.w, strings.Join(names, ",")+"\n")
	return err
}

func (s *sqlPrinter) row(vals []any) error {
	lits := make([]string, len(vals))
	for i, v := range vals {
		lits[i] = sqlLiteral(v, s.opts.vectors)
	}
	line := strings.Join(lits, ",") + "\n"
	if s.opts.mode == modeInsert {
		table := s.opts.table
		if table == "" {
			table = "table"
		}
		into := query.QuoteIdent(table)
		if s.opts.header {
			names := make([]string, len(s.cols))
			for i, c := range s.cols {
				names[i] = query.QuoteIdent(c)
			}
			into += "(" + strings.Join(names, ",") + ")"
		}
		line = "INSERT INTO " + into + " VALUES(" + strings.Join(lits, ",") + ");\n"
	}
	_, err := io.WriteString(s.w, line)
	return err
}

func (s *sqlPrinter) end() error { return nil }

// sqlLiteral writes v as the language reads it back; a vector shortened
// for a terminal (n is not fullVectors) is a string, since it is no longer
// the vector.
func sqlLiteral(v any, n int) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return query.QuoteString(x)
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	case []float32:
		if n != fullVectors && len(x) > n+3 {
			return query.QuoteString(shortVector(x, n))
		}
		return vectorText(x, ",")
	}
	return cellText(v, "NULL", ",", n)
}

// ---------------------------------------------------------------------------
// json, jsonl

// jsonPrinter writes one JSON object per row, keys in column order: as one
// array (sqlite3's json mode: "[{...},\n{...}]") or one object a line
// (jsonl). NULL, NaN and infinities are null (JSON has no numbers for the
// latter two). A vector shortened for a terminal is a string.
type jsonPrinter struct {
	w       io.Writer
	array   bool
	vectors int
	cols    []string
	buf     []byte
	n       int
}

func (j *jsonPrinter) begin(cols []string) error {
	j.cols = cols
	return nil
}

func (j *jsonPrinter) row(vals []any) error {
	b := j.buf[:0]
	if j.array {
		if j.n == 0 {
			b = append(b, '[')
		} else {
			b = append(b, ",\n"...)
		}
	}
	j.n++
	b = append(b, '{')
	for i, c := range j.cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c)
		b = append(b, ':')
		var v any
		if i < len(vals) {
			v = vals[i]
		}
		if vec, ok := v.([]float32); ok && j.vectors != fullVectors && len(vec) > j.vectors+3 {
			v = shortVector(vec, j.vectors)
		}
		b = appendJSONValue(b, v)
	}
	b = append(b, '}')
	if !j.array {
		b = append(b, '\n')
	}
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func (j *jsonPrinter) end() error {
	if !j.array || j.n == 0 {
		return nil
	}
	_, err := io.WriteString(j.w, "]\n")
	return err
}

func appendJSONValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendJSONString(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float32:
		return appendJSONFloat(b, float64(x), 32)
	case float64:
		return appendJSONFloat(b, x, 64)
	case bool:
		return strconv.AppendBool(b, x)
	case []float32:
		b = append(b, '[')
		for i, f := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONFloat(b, float64(f), 32)
		}
		return append(b, ']')
	}
	return appendJSONString(b, fmt.Sprint(v))
}

func appendJSONFloat(b []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	return append(b, formatFloat(f, bits)...)
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, as encoding/json does; unlike encoding/json, <, > and & are left
// alone, since the output is not meant for HTML.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}
