package db_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
)

// smallDB returns the bytes of a small database with a table, an index and
// a trained table: the seed the open fuzzer damages.
func smallDB(tb testing.TB) []byte {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "seed.db")
	d, err := db.Open(path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	mustExec(tb, d, `CREATE TABLE pets (dim = 3);
		INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]), ('fish', [0.9, -0.2, 0.1]);
		CREATE INDEX ON pets USING hnsw;
		TRAIN w FROM '../testdata/train-data.txt' WITH (vector_size = 4, min_count = 1, workers = 1, epochs = 1)`)
	if err := d.Close(); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// FuzzOpen opens damaged database files: truncated, bytes flipped, foreign.
// Nothing may panic or hang; an Open that succeeds must answer queries (or
// fail them with an error) and close.
func FuzzOpen(f *testing.F) {
	seed := smallDB(f)
	f.Add(seed, uint32(0), byte(0))
	f.Add(seed, uint32(4096+20), byte(0xff))      // the second meta page
	f.Add(seed, uint32(len(seed)/2), byte(0x5a))  // a data page
	f.Add(seed[:len(seed)/2], uint32(0), byte(0)) // truncated
	f.Add([]byte("not a database"), uint32(0), byte(0))
	f.Fuzz(func(t *testing.T, data []byte, at uint32, xor byte) {
		if len(data) > 1<<20 {
			return
		}
		data = append([]byte(nil), data...)
		if len(data) > 0 {
			data[int(at)%len(data)] ^= xor
		}
		path := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := db.Open(path, &db.Options{Timeout: time.Second, MmapSize: 4 << 20})
		if err != nil {
			return
		}
		defer d.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		d.Check(ctx)
		infos, err := d.Tables(ctx)
		if err != nil {
			return
		}
		for _, in := range infos {
			for _, sql := range []string{"SELECT * FROM \"" + in.Name + "\"", "SELECT NEAREST(TOKEN(0), 2) FROM \"" + in.Name + "\"",
				"INSERT INTO \"" + in.Name + "\" (word, vector) VALUES ('zz', ?)", "DESCRIBE \"" + in.Name + "\""} {
				var args []any
				if in.Dim > 0 && in.Dim < 1<<16 && sql[0] == 'I' {
					args = append(args, make([]float32, in.Dim))
				} else if sql[0] == 'I' {
					continue
				}
				_, err := d.Exec(ctx, sql, args...)
				if errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("%s: took more than 20 s", sql)
				}
			}
		}
	})
}
