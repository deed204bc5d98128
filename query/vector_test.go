package query_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/embeddb/embeddb/query"
)

// expandVector returns x with its elements as expressions: a flat literal
// becomes the VectorLit of NumberLits it stands for, so that trees dump and
// compare alike whichever form the parser chose.
func expandVector(x *query.VectorLit) *query.VectorLit {
	out := &query.VectorLit{Pos: x.Pos}
	for i := 0; i < x.Len(); i++ {
		out.Elems = append(out.Elems, x.Elem(i))
	}
	return out
}

// vectorView is what cmp compares of a VectorLit: its position and its
// elements as expressions.
type vectorView struct {
	Pos   query.Position
	Elems []query.Expr
}

// compareVectors makes cmp compare vector literals by their elements,
// whichever form holds them.
var compareVectors = cmp.Transformer("vector", func(x *query.VectorLit) *vectorView {
	if x == nil {
		return nil
	}
	e := expandVector(x)
	return &vectorView{Pos: e.Pos, Elems: e.Elems}
})

// TestVectorLit_Flat checks the flat form of a literal of plain numbers
// against the NumberLits it stands for: the same elements, positions,
// values, float32 roundings and print.
func TestVectorLit_Flat(t *testing.T) {
	src := "SELECT [0.1, -2,\n  - 3e-4, 9223372036854775807, 9223372036854775808, .5, 1e-400, 3.4028236e38]"
	s, err := query.ParseStatement(src)
	if err != nil {
		t.Fatal(err)
	}
	v := s.(*query.Select).Items[0].Expr.(*query.VectorLit)
	if v.Elems != nil {
		t.Fatalf("ParseStatement(%q): the vector has Elems %v, want the flat form", src, v.Elems)
	}
	want := []query.NumberLit{
		{Pos: query.Position{Offset: 8, Line: 1, Column: 9}, Text: "0.1", Float: 0.1},
		{Pos: query.Position{Offset: 13, Line: 1, Column: 14}, Text: "-2", IsInt: true, Int: -2, Float: -2},
		{Pos: query.Position{Offset: 19, Line: 2, Column: 3}, Text: "-3e-4", Float: -3e-4},
		{Pos: query.Position{Offset: 27, Line: 2, Column: 11}, Text: "9223372036854775807", IsInt: true, Int: math.MaxInt64, Float: math.MaxInt64},
		{Pos: query.Position{Offset: 48, Line: 2, Column: 32}, Text: "9223372036854775808", Float: 9223372036854775808},
		{Pos: query.Position{Offset: 69, Line: 2, Column: 53}, Text: ".5", Float: 0.5},
		{Pos: query.Position{Offset: 73, Line: 2, Column: 57}, Text: "1e-400", Float: 0},
		{Pos: query.Position{Offset: 81, Line: 2, Column: 65}, Text: "3.4028236e38", Float: 3.4028236e38},
	}
	if v.Len() != len(want) {
		t.Fatalf("Len() = %d, want %d", v.Len(), len(want))
	}
	f32, ok := v.AppendFloat32s(nil)
	if !ok || len(f32) != len(want) {
		t.Fatalf("AppendFloat32s = %v, %v, want %d values", f32, ok, len(want))
	}
	for i, w := range want {
		got := v.Elem(i).(*query.NumberLit)
		if diff := cmp.Diff(&w, got); diff != "" {
			t.Errorf("Elem(%d) differs (-want +got):\n%s", i, diff)
		}
		if f := w.Float32(); math.Float32bits(f32[i]) != math.Float32bits(f) {
			t.Errorf("AppendFloat32s element %d = %v, want %v as NumberLit.Float32 gives", i, f32[i], f)
		}
	}
	printed := "SELECT [0.1, -2, -0.0003, 9223372036854775807, 9.223372036854776e+18, 0.5, 0.0, 3.4028236e+38]"
	if got := s.String(); got != printed {
		t.Errorf("String() = %q, want %q", got, printed)
	}
	if got := "SELECT " + expandVector(v).String(); got != printed {
		t.Errorf("String() of the expanded vector = %q, want %q", got, printed)
	}
}

// TestVectorLit_NotFlat checks that a literal holding anything but plain
// numbers keeps its elements as expressions.
func TestVectorLit_NotFlat(t *testing.T) {
	for _, src := range []string{"SELECT [1, ?]", "SELECT [1 + 1]", "SELECT []", "SELECT [1, /* c */ 2]"} {
		s, err := query.ParseStatement(src)
		if err != nil {
			t.Fatal(err)
		}
		v := s.(*query.Select).Items[0].Expr.(*query.VectorLit)
		if _, ok := v.AppendFloat32s(nil); ok || v.Len() != len(v.Elems) {
			t.Errorf("ParseStatement(%q): AppendFloat32s ok = %v, Len() = %d for %d Elems, want not flat", src, ok, v.Len(), len(v.Elems))
		}
	}
}
