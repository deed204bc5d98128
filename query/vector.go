package query

import "strconv"

// This file holds the flat form of a vector literal of plain numbers; see
// VectorLit.

// Len returns the number of elements of the vector.
func (x *VectorLit) Len() int {
	if x.text != "" {
		return len(x.nums)
	}
	return len(x.Elems)
}

// Elem returns element i (0 <= i < Len()). For a flat literal it makes the
// *NumberLit, position included, that the element would be as an
// expression; that takes time in proportion to i, so a loop over every
// element should use AppendFloat32s, or Elems when it is not nil.
func (x *VectorLit) Elem(i int) Expr {
	if x.text == "" {
		return x.Elems[i]
	}
	var n *NumberLit
	x.each(func(j int, pos Position, lit string) bool {
		if j == i {
			n = x.numberAt(j, pos, lit)
			return false
		}
		return true
	})
	return n
}

// AppendFloat32s appends the elements of a flat literal to dst, each
// rounded to float32 once, from its text, as [NumberLit.Float32] does. It
// returns dst unchanged and false when the literal is not flat, so that
// its elements (expressions) must be evaluated one by one.
func (x *VectorLit) AppendFloat32s(dst []float32) ([]float32, bool) {
	if x.text == "" {
		return dst, false
	}
	x.eachText(func(i int, lit string) {
		dst = append(dst, float32From(lit, x.nums[i]))
	})
	return dst, true
}

// float32From rounds a number to float32 from its text, when the text
// parses as a float32, else from its float64 value: what NumberLit.Float32
// does.
func float32From(text string, f float64) float32 {
	if g, err := strconv.ParseFloat(text, 32); err == nil {
		return float32(g)
	}
	return float32(f)
}

// numberAt makes the NumberLit of element i of a flat literal.
func (x *VectorLit) numberAt(i int, pos Position, lit string) *NumberLit {
	n := &NumberLit{Pos: pos, Text: lit, Float: x.nums[i]}
	if isIntText(lit) {
		if v, err := strconv.ParseInt(lit, 10, 64); err == nil {
			n.IsInt, n.Int = true, v
		}
	}
	return n
}

// isIntText reports whether a number's text has neither a point nor an
// exponent, so that it is an integer if it fits in an int64.
func isIntText(lit string) bool {
	for i := 0; i < len(lit); i++ {
		if c := lit[i]; c == '.' || c == 'e' || c == 'E' {
			return false
		}
	}
	return true
}

// each calls fn with the index, position and text (sign included, as
// NumberLit.Text holds it) of each element of a flat literal, in order,
// until fn returns false.
func (x *VectorLit) each(fn func(i int, pos Position, lit string) bool) {
	if x.text == "" {
		return
	}
	text, pos := x.text, x.Pos
	// advance moves pos over text[from:to], which holds blanks, commas,
	// signs and digits only.
	advance := func(from, to int) {
		for _, c := range []byte(text[from:to]) {
			pos.Offset++
			if c == '\n' {
				pos.Line++
				pos.Column = 1
			} else {
				pos.Column++
			}
		}
	}
	i := 1
	advance(0, 1) // '['
	for k := 0; ; k++ {
		j := skipBlanks(text, i)
		advance(i, j)
		i = j
		start, minus := pos, -1
		if text[i] == '-' {
			minus = i
			j = skipBlanks(text, i+1)
			advance(i, j)
			i = j
		}
		n := numberEnd(text, i) - i
		lit := text[i : i+n]
		switch {
		case minus == i-1:
			lit = text[minus : i+n] // -0.5 as written: no copy
		case minus >= 0:
			lit = "-" + lit // - 0.5
		}
		if !fn(k, start, lit) {
			return
		}
		j = skipBlanks(text, i+n)
		advance(i, j)
		i = j
		if text[i] == ']' {
			return
		}
		advance(i, i+1) // ','
		i++
	}
}

// eachText is each without the positions, for the loops that have no use
// for them: it calls fn with the index and text of every element.
func (x *VectorLit) eachText(fn func(i int, lit string)) {
	for i, k := 1, 0; x.text != "" && i < len(x.text); k++ {
		var lit string
		lit, i = nextNumber(x.text, i)
		fn(k, lit)
	}
}

// nextNumber returns the text of the element of a flat literal's text
// that starts at or after i (blanks first), with its sign, and the index
// past the comma or ']' that follows it.
func nextNumber(text string, i int) (lit string, next int) {
	i = skipBlanks(text, i)
	minus := -1
	if text[i] == '-' {
		minus = i
		i = skipBlanks(text, i+1)
	}
	end := numberEnd(text, i)
	switch {
	case minus < 0:
		lit = text[i:end]
	case minus == i-1:
		lit = text[minus:end] // -0.5 as written: no copy
	default:
		lit = "-" + text[i:end] // - 0.5
	}
	return lit, skipBlanks(text, end) + 1
}

// numberEnd returns the index just past the number that starts at i in
// the text of a flat literal, which numberVector checked: the number runs
// to the next blank, comma or ']'.
func numberEnd(s string, i int) int {
	for {
		switch s[i] {
		case ' ', '\t', '\n', '\r', ',', ']':
			return i
		}
		i++
	}
}

// skipBlanks returns the index of the first byte of s at or after i that
// is not a blank a number vector may hold (see numberVector).
func skipBlanks(s string, i int) int {
	for s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' {
		i++
	}
	return i
}

// isFlatVector reports whether n is a flat vector literal, which holds no
// parameter, name or call: walks that look for those skip it.
func isFlatVector(n Node) bool {
	v, ok := n.(*VectorLit)
	return ok && v.text != ""
}
