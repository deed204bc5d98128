package store

import (
	"context"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// TestBulkWriter_Writeback checks that a load that flushes starts the
// early disk writes and that Commit and Abort both stop them, and that the
// table committed with them running is whole. With NoSync there are none.
func TestBulkWriter_Writeback(t *testing.T) {
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "wb.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	const dim = 64
	rows := 2 * bulkFirstFlush / (4 * dim) // two flushes' worth
	nosync, err := Open(filepath.Join(t.TempDir(), "nosync.db"), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer nosync.Close()
	w, err := nosync.BulkLoad(ctx, "t", TableSpec{Dim: dim, Kind: "imported"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := w.Append([]string{"w" + strconv.Itoa(i)}, nil, make([]float32, dim)); err != nil {
			t.Fatal(err)
		}
	}
	if w.wb != nil {
		t.Fatal("a load with NoSync started writeback")
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, end := range []string{"commit", "abort"} {
		w, err := d.BulkLoad(ctx, "t_"+end, TableSpec{Dim: dim, Kind: "imported"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		vec := make([]float32, dim)
		for i := range rows {
			vec[0] = float32(i)
			if err := w.Append([]string{"w" + strconv.Itoa(i)}, nil, vec); err != nil {
				t.Fatal(err)
			}
		}
		wb := w.wb
		if runtime.GOOS == "linux" && wb == nil { // other systems have no writeback
			t.Fatalf("%s: a load of %d rows flushed without starting writeback", end, rows)
		}
		if end == "commit" {
			info, err := w.Commit()
			if err != nil {
				t.Fatal(err)
			}
			if info.Rows != int64(rows) {
				t.Fatalf("committed %d rows, want %d", info.Rows, rows)
			}
		} else if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		if w.wb != nil {
			t.Fatalf("%s: writeback still set", end)
		}
		if wb != nil {
			select {
			case <-wb.done:
			default:
				t.Fatalf("%s: writeback goroutine still running", end)
			}
		}
	}
}
