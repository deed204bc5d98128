package query_test

import (
	"fmt"

	"github.com/embeddb/embeddb/query"
)

func ExampleParse() {
	stmts, err := query.Parse(`
		CREATE TABLE pets (dim = 3);
		INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]);
		select nearest('cat', 5) from pets`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range stmts {
		fmt.Printf("%T: %s\n", s, s)
	}
	// Output:
	// *query.CreateTable: CREATE TABLE pets (dim = 3)
	// *query.Insert: INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3])
	// *query.Select: SELECT NEAREST('cat', 5) FROM pets
}

func ExampleFormatError() {
	src := "SELECT COUNT(*) FROM WHERE x = 1"
	_, err := query.Parse(src)
	fmt.Println(query.FormatError(src, err))
	// Output:
	// 1:22: expected table name, found 'WHERE'
	// SELECT COUNT(*) FROM WHERE x = 1
	//                      ^
}

func ExampleSplit() {
	complete, rest := query.Split("SELECT 'a;b' FROM t; SHOW TABLES;\nDESCRIBE")
	fmt.Printf("%q %q\n", complete, rest)
	// Output:
	// ["SELECT 'a;b' FROM t;" " SHOW TABLES;"] "\nDESCRIBE"
}

func ExampleWalk() {
	s, _ := query.ParseStatement("SELECT NEAREST(VECTOR(?) - VECTOR(?), ?) FROM w2v")
	query.Walk(s, func(n query.Node) bool {
		if c, ok := n.(*query.Call); ok {
			fmt.Println(c.Name, len(c.Args))
		}
		return true
	})
	fmt.Println(s.NumParams(), "parameters")
	// Output:
	// NEAREST 2
	// VECTOR 1
	// VECTOR 1
	// 3 parameters
}
