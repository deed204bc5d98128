package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

// rule is a horizontal line of a table: left end, fill, the crossing
// between two columns, right end.
type rule struct{ left, fill, cross, right string }

// tableStyle is how a column-aligned mode draws its table.
type tableStyle struct {
	top, mid, bottom *rule // nil: no such line
	// left, sep and right surround and separate the cells of a row.
	left, sep, right string
	// pad is how much wider than its column a rule's segment is: the
	// spaces inside the borders.
	pad int
	// expands says a table too wide for the screen is printed record by
	// record instead.
	expands bool
}

var (
	asciiRule = &rule{"+", "-", "+", "+"}
	styles    = map[outputMode]tableStyle{
		modeTable: {top: asciiRule, mid: asciiRule, bottom: asciiRule, left: "| ", sep: " | ", right: " |", pad: 2, expands: true},
		modeBox: {top: &rule{"┌", "─", "┬", "┐"}, mid: &rule{"├", "─", "┼", "┤"}, bottom: &rule{"└", "─", "┴", "┘"},
			left: "│ ", sep: " │ ", right: " │", pad: 2, expands: true},
		modeMarkdown: {mid: &rule{"|", "-", "|", "|"}, left: "| ", sep: " | ", right: " |", pad: 2},
		modeColumn:   {mid: &rule{"", "-", "  ", ""}, sep: "  "},
	}
)

// tablePrinter draws the rows in columns, as sqlite3's table, box,
// markdown and column modes do:
//
//	+------+------------+
//	| word | similarity |
//	+------+------------+
//	| cat  |  0.9877558 |
//	+------+------------+
//
// Columns of numbers are aligned to the right, their heading too (sqlite3
// aligns them left; numbers read better lined up by their units). A table
// wider than opts.width is printed record by record instead, in the modes
// whose style expands. It keeps every row until end, since the widths
// depend on all of them.
type tablePrinter struct {
	w     io.Writer
	opts  printOptions
	style tableStyle

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
	null := t.opts.nullText("NULL")
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
		cells[i] = screenText(cellText(v, null, ", ", t.opts.vectors))
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
		if t.opts.header {
			widths[i] = runewidth.StringWidth(heads[i])
		}
	}
	for _, r := range t.cells {
		for i, c := range r {
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	fixed := false
	for i := range widths {
		if i < len(t.opts.widths) && t.opts.widths[i] != 0 {
			widths[i], fixed = abs(t.opts.widths[i]), true
		}
	}
	total := runewidth.StringWidth(t.style.left) + runewidth.StringWidth(t.style.right)
	for i, w := range widths {
		if i > 0 {
			total += runewidth.StringWidth(t.style.sep)
		}
		total += w
	}
	if t.style.expands && !fixed && t.opts.width > 0 && total > t.opts.width {
		return t.expanded(heads)
	}
	var b strings.Builder
	t.drawRule(&b, t.style.top, widths)
	if t.opts.header {
		t.drawRow(&b, heads, widths)
		t.drawRule(&b, t.style.mid, widths)
	}
	for _, r := range t.cells {
		t.drawRow(&b, r, widths)
	}
	t.drawRule(&b, t.style.bottom, widths)
	_, err := io.WriteString(t.w, b.String())
	return err
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// drawRule draws r across columns of the given widths; nothing for nil.
func (t *tablePrinter) drawRule(b *strings.Builder, r *rule, widths []int) {
	if r == nil {
		return
	}
	b.WriteString(r.left)
	for i, w := range widths {
		if i > 0 {
			b.WriteString(r.cross)
		}
		b.WriteString(strings.Repeat(r.fill, w+t.style.pad))
	}
	b.WriteString(r.right)
	b.WriteByte('\n')
}

// drawRow draws one row of cells, on as many lines as its cells take when
// .width wraps them.
func (t *tablePrinter) drawRow(b *strings.Builder, cells []string, widths []int) {
	parts := make([][]string, len(cells))
	lines := 1
	for i, c := range cells {
		parts[i] = wrapCell(c, widths[i])
		lines = max(lines, len(parts[i]))
	}
	for l := range lines {
		b.WriteString(t.style.left)
		for i := range cells {
			if i > 0 {
				b.WriteString(t.style.sep)
			}
			c := ""
			if l < len(parts[i]) {
				c = parts[i][l]
			}
			pad := strings.Repeat(" ", max(0, widths[i]-runewidth.StringWidth(c)))
			right := t.numeric[i] && t.seen[i]
			if i < len(t.opts.widths) && t.opts.widths[i] != 0 {
				right = t.opts.widths[i] < 0
			}
			if right {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		b.WriteString(t.style.right)
		b.WriteByte('\n')
	}
}

// wrapCell cuts c into lines no wider than w, as sqlite3 wraps a value
// wider than its .width.
func wrapCell(c string, w int) []string {
	if w <= 0 || runewidth.StringWidth(c) <= w {
		return []string{c}
	}
	var lines []string
	var cur strings.Builder
	n := 0
	for _, r := range c {
		rw := runewidth.RuneWidth(r)
		if n+rw > w && n > 0 {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		cur.WriteRune(r)
		n += rw
	}
	return append(lines, cur.String())
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
	if t.opts.width > 0 {
		lineWidth = min(lineWidth, t.opts.width)
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
