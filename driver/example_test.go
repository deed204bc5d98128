package driver_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"

	_ "github.com/embeddb/embeddb/driver"
)

func Example() {
	dir, _ := os.MkdirTemp("", "embeddb-example")
	defer os.RemoveAll(dir)
	sqldb, err := sql.Open("embeddb", filepath.Join(dir, "pets.db")+"?timeout=5s")
	if err != nil {
		log.Fatal(err)
	}
	defer sqldb.Close()
	ctx := context.Background()
	_, err = sqldb.ExecContext(ctx, "CREATE TABLE pets (dim = 3); INSERT INTO pets VALUES (?, ?), (?, ?), (?, ?)",
		"cat", []float32{0.1, 0.2, 0.3}, "dog", []float32{0.1, 0.25, 0.3}, "fish", []float32{0.9, 0.1, 0})
	if err != nil {
		log.Fatal(err)
	}
	rows, err := sqldb.QueryContext(ctx, "SELECT NEAREST(?, ?) FROM pets", "cat", 2)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var word string
		var sim float32
		if err := rows.Scan(&word, &sim); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %.4f\n", word, sim)
	}
	var v []float32
	if err := sqldb.QueryRowContext(ctx, "SELECT VECTOR(?) FROM pets", "fish").Scan(&v); err != nil {
		log.Fatal(err)
	}
	fmt.Println(v)
	// Output:
	// dog 0.9945
	// fish 0.3247
	// [0.9 0.1 0]
}
