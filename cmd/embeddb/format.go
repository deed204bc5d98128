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

	"github.com/embeddb/embeddb/db"
)

// outputMode is how results are printed.
type outputMode int

// The output modes, as sqlite3 names them (and tsv, jsonl of our own).
const (
	modeTable    outputMode = iota // aligned columns in a +--+ box
	modeBox                        // aligned columns in a box of line-drawing characters
	modeMarkdown                   // a Markdown pipe table
	modeColumn                     // aligned columns under a dashed rule, no borders
	modeList                       // values separated by .separator ("|")
	modeLine                       // one "name = value" line per column, a blank line between rows
	modeCSV                        // RFC 4180 comma-separated values
	modeTSV                        // tab-separated values, quoted as in CSV where needed
	modeJSON                       // one JSON array of objects, as sqlite3's json mode
	modeJSONL                      // one JSON object per row (JSON Lines)
	modeQuote                      // values as SQL literals, separated by commas
	modeInsert                     // INSERT statements
)

var modeNames = []string{"table", "box", "markdown", "column", "list", "line", "csv", "tsv", "json", "jsonl", "quote", "insert"}

// modeAliases are other names sqlite3 or habit give a mode.
var modeAliases = map[string]outputMode{"tabs": modeTSV, "lines": modeLine, "columns": modeColumn, "ndjson": modeJSONL}

// String returns the mode's name, as -mode and .mode take it.
func (m outputMode) String() string {
	if int(m) >= 0 && int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("outputMode(%d)", int(m))
}

// boxed reports whether m lines values up in columns (and so has column
// names by default, and .width applies to it).
func (m outputMode) boxed() bool {
	return m == modeTable || m == modeBox || m == modeMarkdown || m == modeColumn
}

// parseMode returns the mode named s (case-insensitively).
func parseMode(s string) (outputMode, error) {
	for i, n := range modeNames {
		if strings.EqualFold(s, n) {
			return outputMode(i), nil
		}
	}
	if m, ok := modeAliases[strings.ToLower(s)]; ok {
		return m, nil
	}
	return 0, fmt.Errorf("unknown mode %q (%s)", s, modeChoices())
}

// modeChoices names the modes for messages: "table, box, ... or insert".
func modeChoices() string {
	return strings.Join(modeNames[:len(modeNames)-1], ", ") + " or " + modeNames[len(modeNames)-1]
}

// fullVectors, as printOptions.vectors (its zero value), prints every
// value of a vector.
const fullVectors = 0

// shortVectors is how many values a shortened vector shows by default.
const shortVectors = 5

// printOptions says how one result is printed.
type printOptions struct {
	mode   outputMode
	header bool
	// vectors is how many values of a long vector are shown: its first
	// and last ones and its length, so that a 768-value vector fits on a
	// screen; fullVectors (zero) shows them all, as a file needs.
	vectors int
	// width is the widest table that is drawn as a table; a wider one is
	// printed a record at a time, name | value (as psql's expanded mode).
	// Zero means no limit.
	width int
	// widths are .width's column widths for the column-aligned modes: 0
	// fits the values, n > 0 is n characters (longer values wrap), n < 0
	// is -n characters aligned right.
	widths []int
	// null is how NULL is written; nullSet says .nullvalue or -nullvalue
	// chose it (else the boxed modes write NULL and the others nothing).
	null    string
	nullSet bool
	// sep separates the values of list mode ("|" by default).
	sep string
	// table is the table insert mode's statements insert into.
	table string
	// first, if not nil, is given the first row's values (the shell counts
	// the rows INSERT and DELETE change from them).
	first func(vals []any)
}

// nullText is how NULL is written in a mode with the given default.
func (o printOptions) nullText(def string) string {
	if o.nullSet {
		return o.null
	}
	return def
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
	p := newPrinter(w, opts)
	if err := p.begin(cols); err != nil {
		return err
	}
	for n := 0; rows.Next(); n++ {
		if n%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		vals := rows.Values()
		if n == 0 && opts.first != nil {
			opts.first(vals)
		}
		if err := p.row(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		p.end()
		return err
	}
	return p.end()
}

// newPrinter returns the printer for opts.mode.
func newPrinter(w io.Writer, opts printOptions) rowPrinter {
	switch opts.mode {
	case modeCSV, modeTSV:
		cw := csv.NewWriter(w)
		if opts.mode == modeTSV {
			cw.Comma = '\t'
		}
		return &csvPrinter{w: cw, opts: opts}
	case modeJSON, modeJSONL:
		return &jsonPrinter{w: w, array: opts.mode == modeJSON, vectors: opts.vectors}
	case modeList:
		return &listPrinter{w: w, opts: opts}
	case modeLine:
		return &linePrinter{w: w, opts: opts}
	case modeQuote, modeInsert:
		return &sqlPrinter{w: w, opts: opts}
	}
	return &tablePrinter{w: w, opts: opts, style: styles[opts.mode]}
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

// shownVector is v as text with sep between its values, shortened to n
// values when n is not fullVectors.
func shownVector(v []float32, sep string, n int) string {
	if n == fullVectors {
		return vectorText(v, sep)
	}
	return shortVector(v, n)
}

// shortVector shows a long vector by n of its values, the first ones and
// the last ones, and its length: [a, b, c, ..., y, z] (768 values). A
// vector at most three values longer than n is shown whole, since the
// "..." would save nothing.
func shortVector(v []float32, n int) string {
	head, tail := n-n/2, n/2
	if len(v) <= n+3 {
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

// cellText is a value as text for the text modes. NULL is null; vectors
// use sep between their values and show n of them (or fullVectors).
func cellText(v any, null, sep string, n int) string {
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
		return shownVector(x, sep, n)
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

// packagePrefixes are the package names that the Go API's error texts
// start with ("db: database is read-only"): right for a Go caller, noise
// in the shell, where they would be said twice ("open x.db: db: ...").
var packagePrefixes = []string{"db: ", "vecfile: ", "trainer: ", "index: ", "query: ", "osfile: "}

// message is err's text as the shell shows it: the package prefixes left
// out, at the start and after each wrapper's ": ", and control characters
// made visible.
func message(err error) string {
	return screenText(withoutPrefixes(err.Error()))
}

// withoutPrefixes removes the package prefixes from msg.
func withoutPrefixes(msg string) string {
	for _, p := range packagePrefixes {
		msg = strings.TrimPrefix(msg, p)
		msg = strings.ReplaceAll(msg, ": "+p, ": ")
	}
	return msg
}
