package query_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/query"
)

func TestWalk_Order(t *testing.T) {
	s, err := query.ParseStatement("SELECT NEAREST(?, 5) AS n, * FROM w2v WHERE a IN (1) ORDER BY b DESC LIMIT ? OFFSET 2")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	query.Walk(s, func(n query.Node) bool {
		got = append(got, fmt.Sprintf("%T %s", n, n))
		return true
	})
	want := []string{
		"*query.Select SELECT NEAREST(?, 5) AS n, * FROM w2v WHERE a IN (1) ORDER BY b DESC LIMIT ? OFFSET 2",
		"*query.SelectItem NEAREST(?, 5) AS n",
		"*query.Call NEAREST(?, 5)",
		"*query.Param ?",
		"*query.NumberLit 5",
		"*query.SelectItem *",
		"*query.TableName w2v",
		"*query.In a IN (1)",
		"*query.Ident a",
		"*query.NumberLit 1",
		"*query.OrderItem b DESC",
		"*query.Ident b",
		"*query.Param ?",
		"*query.NumberLit 2",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Walk visited\n%q\nwant\n%q", got, want)
	}
}

func TestWalk_SkipChildren(t *testing.T) {
	s, err := query.ParseStatement("INSERT INTO t VALUES ('a', [1, 2]), ('b', [3, 4])")
	if err != nil {
		t.Fatal(err)
	}
	numbers := 0
	query.Walk(s, func(n query.Node) bool {
		switch x := n.(type) {
		case *query.Row:
			return x.Values[0].(*query.StringLit).Value == "a" // skip row b
		case *query.NumberLit:
			numbers++
		}
		return true
	})
	if numbers != 2 {
		t.Errorf("Walk visited %d numbers, want the 2 of row a", numbers)
	}
}

// TestWalk_AllStatements checks that Walk reaches every table name and
// parameter of every kind of statement, and that NumParams counts them.
func TestWalk_AllStatements(t *testing.T) {
	srcs := []string{
		"SELECT ? FROM t", "EXPLAIN SELECT ? FROM t", "TRAIN t FROM ? WITH (a = ?)",
		"IMPORT t FROM ? WITH (a = ?)", "EXPORT t TO ? WITH (a = ?)", "CREATE TABLE t (dim = ?)",
		"INSERT INTO t (word) VALUES (?)", "DELETE FROM t WHERE word = ?", "DROP TABLE t",
		"ALTER TABLE t RENAME TO t", "CREATE INDEX ON t WITH (m = ?)", "DROP INDEX ON t",
		"SET x = ?", "SHOW TABLES", "DESCRIBE t", "EVALUATE t WITH (pairs = ?)", "CHECK DATABASE",
		"BACKUP TO ?", "VACUUM INTO ?",
	}
	for _, src := range srcs {
		t.Run(src, func(t *testing.T) {
			s, err := query.ParseStatement(src)
			if err != nil {
				t.Errorf("ParseStatement(%q): %v", src, err)
				return
			}
			tables, params := 0, 0
			query.Walk(s, func(n query.Node) bool {
				switch n.(type) {
				case *query.TableName:
					tables++
				case *query.Param:
					params++
				}
				return true
			})
			wantTables := 0 // every table is called t
			for _, f := range strings.Fields(src) {
				if f == "t" {
					wantTables++
				}
			}
			if tables != wantTables {
				t.Errorf("Walk(%q) visited %d table names, want %d", src, tables, wantTables)
			}
			if params != s.NumParams() {
				t.Errorf("Walk(%q) visited %d parameters, NumParams() = %d", src, params, s.NumParams())
			}
		})
	}
}

func TestWalk_NilParts(t *testing.T) {
	// Hand-built trees may leave parts nil; Walk skips them.
	s := &query.Select{Items: []query.SelectItem{{Expr: (*query.Ident)(nil)}}, Where: &query.Unary{Op: query.OpNot}}
	n := 0
	query.Walk(s, func(query.Node) bool { n++; return true })
	if n != 3 { // Select, SelectItem, Unary
		t.Errorf("Walk visited %d nodes, want 3", n)
	}
	query.Walk(nil, func(query.Node) bool { t.Error("Walk(nil) called fn"); return true })
}
