package db_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
)

// TestBackup_WhileWriting takes a backup while a writer inserts: the copy
// opens, passes the check, and holds the table as it was at one moment
// (a prefix of the writer's inserts, each complete).
func TestBackup_WhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := MustOpenDB(t)
	mustExec(t, d, "CREATE TABLE t (dim = 4)")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			sql := fmt.Sprintf("INSERT INTO t VALUES ('a%d', [%d, 1, 2, 3]), ('b%d', [%d, 1, 2, 3])", i, i, i, i)
			if _, err := d.Exec(ctx, sql); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	path := filepath.Join(dir, "copy.db")
	res := mustExec(t, d, "BACKUP TO ?", path)
	wg.Wait()
	if res.Rows[0][1].(int64) <= 0 {
		t.Fatalf("BACKUP = %v", res.Rows)
	}
	c, err := db.Open(path, &db.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if p, err := c.Check(ctx); err != nil || len(p) > 0 {
		t.Fatalf("Check of the backup = %v, %v", p, err)
	}
	rows := mustExec(t, c, "SELECT word FROM t").Rows
	if len(rows)%2 != 0 {
		t.Fatalf("backup holds %d rows: half an INSERT", len(rows))
	}
	for i := 0; i < len(rows); i += 2 {
		if rows[i][0] != fmt.Sprintf("a%d", i/2) || rows[i+1][0] != fmt.Sprintf("b%d", i/2) {
			t.Fatalf("backup rows %d, %d = %v, %v: not a prefix of the inserts", i, i+1, rows[i][0], rows[i+1][0])
		}
	}
	if _, err := os.Stat(path + ".tmp"); err == nil {
		t.Error("BACKUP left its temporary file")
	}
}

// TestVacuum drops a big table and compacts the file, in place and into a
// new one; the rest of the database is unchanged.
func TestVacuum(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "v.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mustExec(t, d, "IMPORT keep FROM 'testdata/vectors.txt'; CREATE INDEX ON keep USING hnsw")
	w, err := d.BulkLoad(ctx, "big", db.TableSpec{Dim: 64}, nil)
	if err != nil {
		t.Fatal(err)
	}
	words, _, vecs := randRows(20000, 64, 3)
	if err := w.Append(words, nil, vecs); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, d, "DROP TABLE big")
	want := mustExec(t, d, "SELECT * FROM keep").Rows
	nearWant := mustExec(t, d, "SELECT NEAREST('w001', 5) FROM keep").Rows

	into := filepath.Join(dir, "compact.db")
	mustExec(t, d, "VACUUM INTO ?", into)
	if _, err := d.Exec(ctx, "VACUUM INTO ?", into); err == nil || !strings.Contains(err.Error(), "file exists") {
		t.Fatalf("VACUUM INTO an existing file = %v, want a refusal", err)
	}
	res := mustExec(t, d, "VACUUM")
	before, after := res.Rows[0][0].(int64), res.Rows[0][1].(int64)
	if after >= before/2 {
		t.Fatalf("VACUUM: %d bytes before, %d after; the dropped table's space was not given back", before, after)
	}
	// The same handle goes on working, and sees the same data.
	if got := mustExec(t, d, "SELECT * FROM keep").Rows; !reflect.DeepEqual(got, want) {
		t.Fatal("VACUUM changed the table")
	}
	if got := mustExec(t, d, "SELECT NEAREST('w001', 5) FROM keep").Rows; !reflect.DeepEqual(got, nearWant) {
		t.Fatalf("after VACUUM NEAREST = %v, want %v", got, nearWant)
	}
	mustExec(t, d, "INSERT INTO keep (word, vector) VALUES ('new', ?)", make([]float32, 24))
	c, err := db.Open(into, &db.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := mustExec(t, c, "SELECT * FROM keep").Rows; !reflect.DeepEqual(got, want) {
		t.Fatal("VACUUM INTO wrote other data")
	}
	if p, _ := c.Check(ctx); len(p) > 0 {
		t.Fatalf("Check of the compacted copy: %v", p)
	}
	if p, _ := d.Check(ctx); len(p) > 0 {
		t.Fatalf("Check after VACUUM: %v", p)
	}
}

// TestOpen_Damaged opens files damaged in the ways disks and copies damage
// them: cut short, or with bytes overwritten. Open must refuse them, or
// open them and report the damage as errors, never panic.
func TestOpen_Damaged(t *testing.T) {
	seed := smallDB(t)
	if len(seed) < 8*4096 {
		t.Fatalf("seed database of %d bytes is too small to damage meaningfully", len(seed))
	}
	cases := map[string][]byte{
		"TruncatedMidData": seed[:5*4096+100],
		"Truncated":        seed[:len(seed)/3],
		"HeaderOnly":       seed[:4096],
		"MetaPagesZeroed":  append(make([]byte, 8192), seed[8192:]...),
	}
	flipped := append([]byte(nil), seed...)
	for i := 8192; i < len(flipped); i += 997 {
		flipped[i] ^= 0xa5
	}
	cases["BytesFlipped"] = flipped
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "d.db")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := db.Open(path, nil)
			if err != nil {
				t.Logf("refused: %v", err)
				return
			}
			defer d.Close()
			problems, err := d.Check(context.Background())
			if err != nil || len(problems) > 0 {
				t.Logf("opened; check: %v %v", err, problems)
				return
			}
			// The check found nothing: the damage missed every page in use
			// (a file ends in space bbolt has not used yet). Then it must
			// answer as the intact file does.
			for _, sql := range []string{"SELECT * FROM pets", "SELECT NEAREST('cat', 2) FROM pets", "SELECT COUNT(*) FROM w"} {
				if _, err := d.Exec(context.Background(), sql); err != nil {
					t.Fatalf("file passed the check but %s: %v", sql, err)
				}
			}
		})
	}
}

// TestOpen_DamagedFreelist damages what bbolt reads at open after locking the
// file, the meta's freelist page (checksums made good again, so bbolt trusts
// it): Open must say ErrCorrupt, and say it again, where a panic inside bbolt
// used to leave the file locked so the second Open said ErrLocked.
func TestOpen_DamagedFreelist(t *testing.T) {
	seed := smallDB(t)
	pageSize := int(binary.LittleEndian.Uint32(seed[16+8:]))
	for name, freelist := range map[string]func(hwm uint64) uint64{
		"PastTheEnd":     func(hwm uint64) uint64 { return hwm + 1000 },
		"NotAFreelist":   func(uint64) uint64 { return 2 },
		"InTheMetaPages": func(uint64) uint64 { return 1 },
		"CountTooLarge":  func(uint64) uint64 { return 0 }, // 0: keep the page, damage it below
	} {
		t.Run(name, func(t *testing.T) {
			data := append([]byte(nil), seed...)
			for _, off := range []int{16, pageSize + 16} {
				m := data[off : off+64]
				if f := freelist(binary.LittleEndian.Uint64(m[40:])); f != 0 {
					binary.LittleEndian.PutUint64(m[32:], f)
				}
				h := fnv.New64a()
				h.Write(m[:56])
				binary.LittleEndian.PutUint64(m[56:], h.Sum64())
			}
			if name == "CountTooLarge" {
				// The freelist page itself: its count overflows into a
				// first element that says 2^64-1 ids follow (one more would wrap to 0).
				meta := 16 // the meta bbolt uses: the one with the higher txid
				if binary.LittleEndian.Uint64(data[pageSize+16+48:]) > binary.LittleEndian.Uint64(data[16+48:]) {
					meta = pageSize + 16
				}
				page := int(binary.LittleEndian.Uint64(data[meta+32:])) * pageSize
				binary.LittleEndian.PutUint16(data[page+10:], 0xFFFF)
				binary.LittleEndian.PutUint64(data[page+16:], ^uint64(0))
			}
			path := filepath.Join(t.TempDir(), "d.db")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				_, err := db.Open(path, &db.Options{Timeout: 100 * time.Millisecond})
				if !errors.Is(err, db.ErrCorrupt) {
					t.Fatalf("Open #%d = %v, want ErrCorrupt", i+1, err)
				}
			}
		})
	}
}
