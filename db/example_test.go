package db_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/embeddb/embeddb/db"
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "embeddb-example")
	defer os.RemoveAll(dir)

	d, err := db.Open(filepath.Join(dir, "words.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	ctx := context.Background()
	if err := d.CreateTable(ctx, "pets", db.TableSpec{Dim: 3}); err != nil {
		log.Fatal(err)
	}
	err = d.Insert(ctx, "pets",
		db.Row{Word: "cat", Vector: []float32{0.1, 0.2, 0.3}},
		db.Row{Word: "dog", Vector: []float32{0.1, 0.25, 0.3}})
	if err != nil {
		log.Fatal(err)
	}
	row, err := d.Lookup(ctx, "pets", "dog")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(row.ID, row.Word, row.Vector)
	// Output: 1 dog [0.1 0.25 0.3]
}

func ExampleDB_BulkLoad() {
	dir, _ := os.MkdirTemp("", "embeddb-example")
	defer os.RemoveAll(dir)
	d, err := db.Open(filepath.Join(dir, "words.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	ctx := context.Background()
	w, err := d.BulkLoad(ctx, "glove", db.TableSpec{Dim: 2, Kind: "imported"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Abort() // a no-op after a successful Commit
	if err := w.Append([]string{"the", "of"}, []int64{10, 7}, []float32{1, 0, 0, 1}); err != nil {
		log.Fatal(err)
	}
	info, err := w.Commit() // the table appears here, all at once
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Name, info.Rows, info.Dim)
	// Output: glove 2 2
}

func ExampleDB_View() {
	dir, _ := os.MkdirTemp("", "embeddb-example")
	defer os.RemoveAll(dir)
	d, err := db.Open(filepath.Join(dir, "words.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	d.CreateTable(ctx, "t", db.TableSpec{Dim: 1})
	d.Insert(ctx, "t", db.Row{Word: "a", Count: 2, Vector: []float32{1}}, db.Row{Word: "b", Count: 1, Vector: []float32{2}})

	err = d.View(ctx, func(tx *db.Tx) error {
		return tx.ForEach("t", false, func(r db.Row) error {
			fmt.Println(r.ID, r.Word, r.Count)
			return nil
		})
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// 0 a 2
	// 1 b 1
}

func ExampleDB_Query() {
	dir, _ := os.MkdirTemp("", "embeddb-example")
	defer os.RemoveAll(dir)
	d, err := db.Open(filepath.Join(dir, "words.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	ctx := context.Background()
	_, err = d.Exec(ctx, `CREATE TABLE pets (dim = 3);
		INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]), ('fish', [0.9, -0.2, 0.1])`)
	if err != nil {
		log.Fatal(err)
	}
	rows, err := d.Query(ctx, "SELECT NEAREST(?, ?) FROM pets", "cat", 2)
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
		fmt.Printf("%s %.3f\n", word, sim)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// dog 0.994
	// fish 0.231
}

func ExampleDB_Exec() {
	dir, _ := os.MkdirTemp("", "embeddb-example")
	defer os.RemoveAll(dir)
	d, err := db.Open(filepath.Join(dir, "words.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	res, err := d.Exec(context.Background(), `
		TRAIN w2v FROM '../testdata/train-data.txt'
			WITH (vector_size = 10, min_count = 1, workers = 1, seed = 1);
		SELECT word, count FROM w2v WHERE count > 1 ORDER BY count DESC, word`)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Columns)
	for _, r := range res.Rows {
		fmt.Println(r...)
	}
	// Output:
	// [word count]
	// is 4
	// learning 3
	// language 2
	// machine 2
	// of 2
	// python 2
}
