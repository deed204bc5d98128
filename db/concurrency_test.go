package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestDB_Concurrent runs readers against a writer that rewrites a whole
// table in each transaction. Every reader must see one state of the table:
// all of its rows from the same write, never a mix.
func TestDB_Concurrent(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	const n, dim = 200, 8
	mustCreate(t, d, "t", dim)
	rows := func(gen float32) []db.Row {
		out := make([]db.Row, n)
		for i := range out {
			v := make([]float32, dim)
			for j := range v {
				v[j] = gen
			}
			out[i] = db.Row{Word: fmt.Sprint("w", i), Count: int64(gen), Vector: v}
		}
		return out
	}
	if err := d.Insert(ctx, "t", rows(0)...); err != nil {
		t.Fatal(err)
	}

	const writes = 30
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for g := 1; g <= writes; g++ {
			if err := d.Replace(ctx, "t", rows(float32(g))...); err != nil {
				errs <- err
				return
			}
		}
	}()
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				err := d.View(ctx, func(tx *db.Tx) error {
					var gen float32 = -1
					count := 0
					err := tx.ForEach("t", true, func(row db.Row) error {
						count++
						for _, x := range row.Vector {
							if gen < 0 {
								gen = x
							}
							if x != gen || row.Count != int64(gen) {
								return fmt.Errorf("mixed state: row %s has %v/%d in a snapshot of generation %v", row.Word, x, row.Count, gen)
							}
						}
						return nil
					})
					if err == nil && count != n {
						err = fmt.Errorf("snapshot has %d rows, want %d", count, n)
					}
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	r, err := d.Lookup(ctx, "t", "w0")
	if err != nil || r.Vector[0] != writes {
		t.Fatalf("final state = %+v, %v", r, err)
	}
}
