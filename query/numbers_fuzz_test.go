package query

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzNumberVector checks that a vector the lexer hands over as one token
// (see numberVector) parses to the same tree, positions included, and fails
// with the same error, as when it is read token by token, which a comment
// before its closing bracket forces.
func FuzzNumberVector(f *testing.F) {
	for _, s := range []string{
		"[1]", "[0.1, -0.2, 3e-4]", "[ -1 ,2,- 3 , .5, 1., 1E+3 ]", "[\n 0.25,\r\n -0.5]",
		"[9223372036854775808, -9223372036854775808]", "[1e999]", "[-0.0]", "[1, 2 3]", "[1,]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := numberVector(s)
		if n == 0 {
			return
		}
		fast := "SELECT " + s[:n]
		slow := "SELECT " + s[:n-1] + "/**/]"
		a, errA := ParseStatement(fast)
		b, errB := ParseStatement(slow)
		if fmt.Sprint(errA) != fmt.Sprint(errB) {
			t.Fatalf("ParseStatement(%q) error = %v, but %v for %q", fast, errA, errB, slow)
		}
		if errA != nil {
			return
		}
		va, vb := a.(*Select).Items[0].Expr, b.(*Select).Items[0].Expr
		if diff := cmp.Diff(vb, va, expandFlat); diff != "" {
			t.Fatalf("ParseStatement(%q) differs from %q (-token by token +one token):\n%s", fast, slow, diff)
		}
	})
}

// expandFlat makes cmp compare a flat vector literal as the VectorLit of
// NumberLits it stands for.
var expandFlat = cmp.Transformer("vector", func(x *VectorLit) struct {
	Pos   Position
	Elems []Expr
} {
	out := struct {
		Pos   Position
		Elems []Expr
	}{Pos: x.Pos, Elems: x.Elems}
	if x.text != "" {
		out.Elems = nil
		for i := 0; i < x.Len(); i++ {
			out.Elems = append(out.Elems, x.Elem(i))
		}
	}
	return out
})
