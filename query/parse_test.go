package query_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/embeddb/embeddb/query"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/parse")

// TestParse_Golden parses each testdata/parse/*.sql script and compares a
// dump of the statements (and of the error, if any) with the .golden file
// beside it. Run go test ./query -update to rewrite them, then review the
// diff.
func TestParse_Golden(t *testing.T) {
	files, err := filepath.Glob("testdata/parse/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/parse/*.sql files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".sql")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := dumpScript(string(src))
			golden := strings.TrimSuffix(file, ".sql") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./query -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Parse(%s) differs from %s (-want +got):\n%s", file, golden, diff)
			}
		})
	}
}

// dumpScript parses src and renders every statement (its span, its
// canonical text and its tree) and the error, if any.
func dumpScript(src string) string {
	stmts, err := query.Parse(src)
	var b strings.Builder
	for i, s := range stmts {
		pos, end := s.Span()
		fmt.Fprintf(&b, "-- statement %d, %s-%s, %d params: %s\n", i+1, pos, end, s.NumParams(),
			strconv.Quote(src[pos.Offset:end.Offset]))
		b.WriteString(s.String())
		b.WriteString("\n")
		dumpNode(&b, reflect.ValueOf(s), "")
		b.WriteString("\n")
	}
	if err != nil {
		fmt.Fprintf(&b, "-- error\n%s\n", query.FormatError(src, err))
	}
	return b.String()
}

var positionType = reflect.TypeOf(query.Position{})

// dumpNode writes a node as its type name, its position, its scalar fields
// on the same line and its children indented below.
func dumpNode(b *strings.Builder, v reflect.Value, indent string) {
	if x, ok := v.Interface().(*query.VectorLit); ok && x != nil {
		// A flat literal dumps as the NumberLits it stands for.
		v = reflect.ValueOf(expandVector(x))
	}
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			b.WriteString("nil\n")
			return
		}
		v = v.Elem()
	}
	t := v.Type()
	b.WriteString(t.Name())
	type child struct {
		name string
		v    reflect.Value
	}
	var children []child
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		switch {
		case !f.IsExported():
			continue
		case f.Type == positionType:
			p := fv.Interface().(query.Position)
			if f.Name == "Pos" {
				fmt.Fprintf(b, " @%s(%d)", p, p.Offset)
			} else {
				fmt.Fprintf(b, " %s@%s(%d)", f.Name, p, p.Offset)
			}
		case fv.Kind() == reflect.String:
			if fv.String() != "" {
				fmt.Fprintf(b, " %s=%q", f.Name, fv.String())
			}
		case f.Type == reflect.TypeOf(query.Op(0)):
			fmt.Fprintf(b, " %s=%v", f.Name, fv.Interface())
		case fv.Kind() == reflect.Bool:
			if fv.Bool() {
				fmt.Fprintf(b, " %s", f.Name)
			}
		case fv.Kind() == reflect.Int || fv.Kind() == reflect.Int64:
			fmt.Fprintf(b, " %s=%d", f.Name, fv.Int())
		case fv.Kind() == reflect.Float64:
			fmt.Fprintf(b, " %s=%s", f.Name, strconv.FormatFloat(fv.Float(), 'g', -1, 64))
		default:
			children = append(children, child{f.Name, fv})
		}
	}
	b.WriteString("\n")
	for _, c := range children {
		switch {
		case c.v.Kind() == reflect.Slice:
			if c.v.Len() == 0 {
				continue
			}
			fmt.Fprintf(b, "%s  %s:\n", indent, c.name)
			for i := 0; i < c.v.Len(); i++ {
				fmt.Fprintf(b, "%s    - ", indent)
				dumpNode(b, c.v.Index(i), indent+"      ")
			}
		case c.v.IsNil():
			continue
		default:
			fmt.Fprintf(b, "%s  %s: ", indent, c.name)
			dumpNode(b, c.v, indent+"  ")
		}
	}
}

func TestParse_Empty(t *testing.T) {
	for _, src := range []string{"", "  \n\t", ";", ";;  ;", "-- only a comment", "/* block */ ; -- and a line"} {
		stmts, err := query.Parse(src)
		if err != nil || len(stmts) != 0 {
			t.Errorf("Parse(%q) = %v, %v, want no statements and no error", src, stmts, err)
		}
	}
}

func TestParse_Spans(t *testing.T) {
	src := "SHOW TABLES;\n  SELECT 1 -- one\n  ; DESCRIBE\n\"w 2\"  "
	stmts, err := query.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"SHOW TABLES", "SELECT 1", "DESCRIBE\n\"w 2\""}
	if len(stmts) != len(want) {
		t.Fatalf("Parse(%q) gave %d statements, want %d", src, len(stmts), len(want))
	}
	for i, s := range stmts {
		pos, end := s.Span()
		if got := src[pos.Offset:end.Offset]; got != want[i] {
			t.Errorf("statement %d spans %q, want %q", i+1, got, want[i])
		}
	}
	if pos, end := stmts[2].Span(); pos != (query.Position{Offset: 35, Line: 3, Column: 5}) ||
		end != (query.Position{Offset: 49, Line: 4, Column: 6}) {
		t.Errorf("third statement spans %v-%v, want 3:5-4:6", pos, end)
	}
}

func TestParse_Params(t *testing.T) {
	tests := []struct {
		src  string
		want []int // Index of each ? in source order
	}{
		{"SELECT NEAREST(?, ?) FROM w2v", []int{1, 2}},
		{"INSERT INTO t VALUES (?, [?, ?]), (?, ?)", []int{1, 2, 3, 4, 5}},
		{"TRAIN t FROM ?, 'b', ? WITH (epochs = ?)", []int{1, 2, 3}},
		{"SELECT word FROM t WHERE word IN (?, ?) AND count > ? ORDER BY ? LIMIT ? OFFSET ?", []int{1, 2, 3, 4, 5, 6}},
		{"EXPLAIN SELECT ? + ?", []int{1, 2}},
		{"SET ef_search = ?", []int{1}},
		{"VACUUM INTO ?", []int{1}},
		{"SHOW TABLES", nil},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			s, err := query.ParseStatement(tc.src)
			if err != nil {
				t.Errorf("ParseStatement(%q): %v", tc.src, err)
				return
			}
			var got []int
			query.Walk(s, func(n query.Node) bool {
				if p, ok := n.(*query.Param); ok {
					got = append(got, p.Index)
				}
				return true
			})
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseStatement(%q) parameters = %v, want %v", tc.src, got, tc.want)
			}
			if got, want := s.NumParams(), len(tc.want); got != want {
				t.Errorf("ParseStatement(%q).NumParams() = %d, want %d", tc.src, got, want)
			}
		})
	}
	// Each statement of a script numbers its own parameters.
	stmts, err := query.Parse("SELECT ?; SELECT ?, ?")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := stmts[0].NumParams(), stmts[1].NumParams(); a != 1 || b != 2 {
		t.Errorf("NumParams of the two statements = %d, %d, want 1, 2", a, b)
	}
}

func TestNumberLit(t *testing.T) {
	tests := []struct {
		src   string
		isInt bool
		i     int64
		f     float64
		text  string
	}{
		{"0", true, 0, 0, "0"},
		{"42", true, 42, 42, "42"},
		{"-42", true, -42, -42, "-42"},
		{"- 42", true, -42, -42, "-42"},
		{"-(42)", true, -42, -42, "-42"},
		{"- -42", true, 42, 42, "42"},
		{"+7", true, 7, 7, "7"},
		{"9223372036854775807", true, 9223372036854775807, 9223372036854775807, "9223372036854775807"},
		{"-9223372036854775808", true, -9223372036854775808, -9223372036854775808, "-9223372036854775808"},
		{"9223372036854775808", false, 0, 9223372036854775808, "9223372036854775808"},
		{"1.5", false, 0, 1.5, "1.5"},
		{"1.", false, 0, 1, "1."},
		{".5", false, 0, 0.5, ".5"},
		{"-.5", false, 0, -0.5, "-.5"},
		{"3e-4", false, 0, 3e-4, "3e-4"},
		{"1E+3", false, 0, 1000, "1E+3"},
		{"1e-400", false, 0, 0, "1e-400"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			e, err := query.ParseExpr(tc.src)
			if err != nil {
				t.Errorf("ParseExpr(%q): %v", tc.src, err)
				return
			}
			n, ok := e.(*query.NumberLit)
			if !ok {
				t.Errorf("ParseExpr(%q) = %T, want *query.NumberLit", tc.src, e)
				return
			}
			if n.IsInt != tc.isInt || n.Int != tc.i || n.Float != tc.f || n.Text != tc.text {
				t.Errorf("ParseExpr(%q) = %+v, want IsInt=%v Int=%d Float=%v Text=%q", tc.src, *n, tc.isInt, tc.i, tc.f, tc.text)
			}
		})
	}
}

func TestNumberLit_Float32(t *testing.T) {
	tests := []struct {
		n    query.NumberLit
		want float32
	}{
		{query.NumberLit{Text: "0.1", Float: 0.1}, 0.1},
		{query.NumberLit{Text: "-2", IsInt: true, Int: -2, Float: -2}, -2},
		// A decimal halfway between two float32s: rounding it through
		// float64 first would round twice; from the text it rounds once.
		{query.NumberLit{Text: "1.00000005960464477539062500000000001", Float: 1.0000000596046448}, 1.0000001},
		{query.NumberLit{Float: 0.25}, 0.25}, // hand-built, no text
	}
	for _, tc := range tests {
		t.Run(tc.n.Text, func(t *testing.T) {
			if got := tc.n.Float32(); got != tc.want {
				t.Errorf("NumberLit{Text: %q}.Float32() = %v, want %v", tc.n.Text, got, tc.want)
			}
		})
	}
}

// TestParse_NumberVectors checks that a vector of plain numbers, which the
// parser reads as one token, gives the same tree, positions included, and
// the same errors as the same vector read token by token (a comment before
// the closing bracket forces that way).
func TestParse_NumberVectors(t *testing.T) {
	vectors := []string{
		"[1]",
		"[0.1, -0.2, 3e-4]",
		"[ -1 ,2,- 3 , .5, 1., 1E+3 ]",
		"[\n  0.25,\n  -0.5\r\n]",
		"[9223372036854775807, -9223372036854775808, 9223372036854775808]",
		"[-0, -0.0, 0.000]",
		"[1e999]",
		"[1, -1e999]",
	}
	for _, v := range vectors {
		t.Run(v, func(t *testing.T) {
			fast := "SELECT " + v + " AS v"
			slow := "SELECT " + strings.TrimSuffix(v, "]") + "/**/] AS v"
			a, errA := query.ParseStatement(fast)
			b, errB := query.ParseStatement(slow)
			if fmt.Sprint(errA) != fmt.Sprint(errB) {
				t.Errorf("ParseStatement(%q) error = %v, but %v for %q", fast, errA, errB, slow)
				return
			}
			if errA != nil {
				return
			}
			va, vb := a.(*query.Select).Items[0].Expr, b.(*query.Select).Items[0].Expr
			if diff := cmp.Diff(vb, va, compareVectors); diff != "" {
				t.Errorf("ParseStatement(%q) differs from %q (-token by token +fast):\n%s", fast, slow, diff)
			}
		})
	}
}

// TestParse_Concurrent parses from several goroutines at once: the parser
// is built once and shared. Run with -race.
func TestParse_Concurrent(t *testing.T) {
	src, err := os.ReadFile("testdata/parse/design.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := dumpScript(string(src))
	done := make(chan string)
	for range 4 {
		go func() {
			var got string
			for range 20 {
				got = dumpScript(string(src))
			}
			done <- got
		}()
	}
	for range 4 {
		if got := <-done; got != want {
			t.Errorf("a concurrent parse gave\n%s\nwant\n%s", got, want)
		}
	}
}

// TestStatement_TableName: every statement says which table it is about,
// so that callers need no switch over the statement types of their own.
func TestStatement_TableName(t *testing.T) {
	for src, want := range map[string]string{
		"SELECT NEAREST('a', 3) FROM w2v":              "w2v",
		"SELECT 1 + 1":                                 "",
		"EXPLAIN SELECT * FROM t":                      "t",
		"TRAIN w FROM 'c.txt'":                         "w",
		"IMPORT v FROM 'v.txt'":                        "v",
		"EXPORT v TO 'v.txt'":                          "v",
		"CREATE TABLE p (dim = 3)":                     "p",
		"INSERT INTO p VALUES ('a', [1, 2, 3])":        "p",
		"DELETE FROM p WHERE word = 'a'":               "p",
		"DROP TABLE p":                                 "p",
		"ALTER TABLE p RENAME TO q":                    "q",
		"CREATE INDEX ON p USING hnsw":                 "p",
		"DROP INDEX ON p":                              "p",
		"SET exact = on":                               "",
		"SHOW TABLES":                                  "",
		"DESCRIBE p":                                   "p",
		"EVALUATE w WITH (pairs = 'p.tsv')":            "w",
		"CHECK DATABASE":                               "",
		"BACKUP TO 'b.db'":                             "",
		"VACUUM":                                       "",
		`SELECT word FROM "odd ""name"""`:              `odd "name"`,
		"INSERT INTO p (word, vector) VALUES ('a', ?)": "p",
	} {
		st, err := query.ParseStatement(src)
		if err != nil {
			t.Fatalf("ParseStatement(%q): %v", src, err)
		}
		if got := st.TableName(); got != want {
			t.Errorf("ParseStatement(%q).TableName() = %q, want %q", src, got, want)
		}
	}
}
