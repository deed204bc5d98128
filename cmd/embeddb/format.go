package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"github.com/embeddb/embeddb/db"
)

// outputMode is how results are printed.
type outputMode int

const (
	modeTable outputMode = iota // aligned columns in a box
	modeCSV                     // RFC 4180 comma-separated values
	modeTSV                     // tab-separated values, quoted as in CSV where needed
	modeJSON                    // one JSON object per row (JSON Lines)
)

var modeNames = []string{"table", "csv", "tsv", "json"}

// String returns the mode's name, as -mode and .mode take it.
func (m outputMode) String() string {
	if int(m) >= 0 && int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("outputMode(%d)", int(m))
}

// parseMode returns the mode named s (case-insensitively).
func parseMode(s string) (outputMode, error) {
	for i, n := range modeNames {
		if strings.EqualFold(s, n) {
			return outputMode(i), nil
		}
	}
	return 0, fmt.Errorf("unknown mode %q (table, csv, tsv or json)", s)
}

// printOptions says how one result is printed.
type printOptions struct {
	mode   outputMode
	header bool
	// abbreviate shortens vectors to their first and last values and their
	// length: the REPL's table mode does, so that a 768-value vector fits
	// on a screen.
	abbreviate bool
	// width is the widest table that is drawn as a table; a wider one is
	// printed a record at a time, name | value (as psql's expanded mode).
	// Zero means no limit.
	width int
}

// printRows writes every row of rows to w as opts says, and returns the
// first error from rows or from writing. It stops early when ctx is
// cancelled. It does not close rows.
func printRows(ctx context.Context, w io.Writer, rows *db.Rows, opts printOptions) error {
	cols := rows.Columns()
	if len(cols) == 0 {
		for rows.Next() {
		}
		return rows.Err()
	}
	var p rowPrinter
	switch opts.mode {
	case modeCSV, modeTSV:
		cw := csv.NewWriter(w)
		if opts.mode == modeTSV {
			cw.Comma = '\t'
		}
		p = &csvPrinter{w: cw, header: opts.header}
	case modeJSON:
		p = &jsonPrinter{w: w}
	default:
		p = &tablePrinter{w: w, header: opts.header, abbreviate: opts.abbreviate, width: opts.width}
	}
	if err := p.begin(cols); err != nil {
		return err
	}
	for n := 0; rows.Next(); n++ {
		if n%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := p.row(rows.Values()); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		p.end()
		return err
	}
	return p.end()
}

// rowPrinter prints one result in one of the output modes.
type rowPrinter interface {
	begin(cols []string) error
	row(vals []any) error
	end() error
}

// ---------------------------------------------------------------------------
// Values as text

// formatFloat returns f in the shortest form that reads back to the same
// value of its size (bits 32 for float32, 64 for float64). Large values
// are written without an exponent (1234567 rather than 1.234567e+06),
// which reads back just as exactly.
func formatFloat(f float64, bits int) string {
	if a := math.Abs(f); a >= 1e6 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, bits)
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

// vectorText writes v as [a,b,c] with sep between the values.
func vectorText(v []float32, sep string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, f := range v {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(formatFloat(float64(f), 32))
	}
	b.WriteByte(']')
	return b.String()
}

// abbreviatedVector shows a long vector by its first three and last two
// values and its length: [a, b, c, ..., y, z] (768 values).
func abbreviatedVector(v []float32) string {
	const head, tail = 3, 2
	if len(v) <= head+tail+3 {
		return vectorText(v, ", ")
	}
	var b strings.Builder
	b.WriteByte('[')
	for _, f := range v[:head] {
		b.WriteString(formatFloat(float64(f), 32))
		b.WriteString(", ")
	}
	b.WriteString("...")
	for _, f := range v[len(v)-tail:] {
		b.WriteString(", ")
		b.WriteString(formatFloat(float64(f), 32))
	}
	fmt.Fprintf(&b, "] (%d values)", len(v))
	return b.String()
}

// cellText is a value as text for the table, CSV and TSV modes. NULL is
// null; vectors use sep between their values.
func cellText(v any, null, sep string) string {
	switch x := v.(type) {
	case nil:
		return null
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float32:
		return formatFloat(float64(x), 32)
	case float64:
		return formatFloat(x, 64)
	case bool:
		return strconv.FormatBool(x)
	case []float32:
		return vectorText(x, sep)
	}
	return fmt.Sprint(v)
}

func isNumber(v any) bool {
	switch v.(type) {
	case int64, float32, float64:
		return true
	}
	return false
}

// ---------------------------------------------------------------------------
// table

// tablePrinter draws the rows in a box, as sqlite3's .mode table does:
//
//	+------+------------+
//	| word | similarity |
//	+------+------------+
//	| cat  |  0.9877558 |
//	+------+------------+
//
// Columns of numbers are aligned to the right, their heading too. A table
// wider than width is printed record by record instead. It keeps every row
// until end, since the widths depend on all of them.
type tablePrinter struct {
	w          io.Writer
	header     bool
	abbreviate bool
	width      int

	cols    []string
	cells   [][]string
	numeric []bool // the column holds numbers only (NULLs aside)
	seen    []bool // the column holds a non-NULL value
}

func (t *tablePrinter) begin(cols []string) error {
	t.cols = cols
	t.numeric = make([]bool, len(cols))
	t.seen = make([]bool, len(cols))
	for i := range t.numeric {
		t.numeric[i] = true
	}
	return nil
}

func (t *tablePrinter) row(vals []any) error {
	cells := make([]string, len(t.cols))
	for i := range cells {
		var v any
		if i < len(vals) {
			v = vals[i]
		}
		if v != nil {
			t.seen[i] = true
			if !isNumber(v) {
				t.numeric[i] = false
			}
		}
		if vec, ok := v.([]float32); ok && t.abbreviate {
			cells[i] = abbreviatedVector(vec)
		} else {
			cells[i] = screenText(cellText(v, "NULL", ", "))
		}
	}
	t.cells = append(t.cells, cells)
	return nil
}

func (t *tablePrinter) end() error {
	if len(t.cells) == 0 {
		return nil // as sqlite3: an empty result prints nothing
	}
	widths := make([]int, len(t.cols))
	heads := make([]string, len(t.cols))
	for i, c := range t.cols {
		heads[i] = screenText(c)
		if t.header {
			widths[i] = runewidth.StringWidth(heads[i])
		}
	}
	for _, r := range t.cells {
		for i, c := range r {
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	total := 1
	for _, w := range widths {
		total += w + 3
	}
	if t.width > 0 && total > t.width {
		return t.expanded(heads)
	}
	var b strings.Builder
	rule := func() {
		for _, w := range widths {
			b.WriteByte('+')
			b.WriteString(strings.Repeat("-", w+2))
		}
		b.WriteString("+\n")
	}
	line := func(cells []string) {
		for i, c := range cells {
			b.WriteString("| ")
			pad := strings.Repeat(" ", widths[i]-runewidth.StringWidth(c))
			if t.numeric[i] && t.seen[i] {
				b.WriteString(pad)
				b.WriteString(c)
			} else {
				b.WriteString(c)
				b.WriteString(pad)
			}
			b.WriteByte(' ')
		}
		b.WriteString("|\n")
	}
	rule()
	if t.header {
		line(heads)
		rule()
	}
	for _, r := range t.cells {
		line(r)
	}
	rule()
	_, err := io.WriteString(t.w, b.String())
	return err
}

// expanded prints the rows one record at a time, for results too wide
// for a table (a vector in full):
//
//	-[ RECORD 1 ]------
//	word       | python
//	similarity | 1
func (t *tablePrinter) expanded(heads []string) error {
	nameWidth, lineWidth := 0, 0
	for _, h := range heads {
		nameWidth = max(nameWidth, runewidth.StringWidth(h))
	}
	for _, r := range t.cells {
		for _, c := range r {
			lineWidth = max(lineWidth, nameWidth+3+runewidth.StringWidth(c))
		}
	}
	if t.width > 0 {
		lineWidth = min(lineWidth, t.width)
	}
	var b strings.Builder
	for n, r := range t.cells {
		title := fmt.Sprintf("-[ RECORD %d ]", n+1)
		b.WriteString(title)
		b.WriteString(strings.Repeat("-", max(1, lineWidth-len(title))))
		b.WriteByte('\n')
		for i, c := range r {
			b.WriteString(heads[i])
			b.WriteString(strings.Repeat(" ", nameWidth-runewidth.StringWidth(heads[i])))
			b.WriteString(" | ")
			b.WriteString(c)
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// screenText makes s safe to show in a table cell: control characters
// (a newline in a word would break the box) and invalid UTF-8 are written
// as escapes.
func screenText(s string) string {
	clean := true
	for i, r := range s {
		if unicode.IsControl(r) || (r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD")) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case unicode.IsControl(r):
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// ---------------------------------------------------------------------------
// csv, tsv

// csvPrinter writes RFC 4180 records (with Comma '\t' for TSV). NULL is an
// empty field, as in sqlite3; a vector is one field, [a,b,c].
type csvPrinter struct {
	w      *csv.Writer
	header bool
	rec    []string
}

func (c *csvPrinter) begin(cols []string) error {
	if c.header {
		return c.w.Write(cols)
	}
	return nil
}

func (c *csvPrinter) row(vals []any) error {
	c.rec = c.rec[:0]
	for _, v := range vals {
		c.rec = append(c.rec, cellText(v, "", ","))
	}
	return c.w.Write(c.rec)
}

func (c *csvPrinter) end() error {
	c.w.Flush()
	return c.w.Error()
}

// ---------------------------------------------------------------------------
// json

// jsonPrinter writes one JSON object per row, keys in column order. NULL,
// NaN and infinities are null (JSON has no numbers for the latter two).
type jsonPrinter struct {
	w    io.Writer
	cols []string
	buf  []byte
}

func (j *jsonPrinter) begin(cols []string) error {
	j.cols = cols
	return nil
}

func (j *jsonPrinter) row(vals []any) error {
	b := append(j.buf[:0], '{')
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
		b = appendJSONValue(b, v)
	}
	b = append(b, '}', '\n')
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func (j *jsonPrinter) end() error { return nil }

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
