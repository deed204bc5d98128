package db_test

import (
	"context"
	"strings"
	"testing"
)

// TestRows_ScanNoAlloc: Scan keeps no pointer it is given, so that the
// variables a caller scans a row into stay on its stack: reading NEAREST's
// rows with Next and Scan allocates nothing per row.
func TestRows_ScanNoAlloc(t *testing.T) {
	d, _ := expressDB(t)
	rows, err := d.Query(context.Background(), "SELECT NEAREST('w0', 200) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	read := 0
	allocs := testing.AllocsPerRun(100, func() {
		if !rows.Next() {
			t.Fatal("out of rows")
		}
		var w string
		var s float32
		if err := rows.Scan(&w, &s); err != nil || w == "" {
			t.Fatalf("Scan: %q, %v", w, err)
		}
		read++
	})
	if allocs != 0 {
		t.Fatalf("Next and Scan of a row: %v allocations, want 0", allocs)
	}
	if read != 101 {
		t.Fatalf("%d rows read", read)
	}
}

// TestRows_ScanErrors: Scan names the destination it cannot fill, as %T
// prints its type.
func TestRows_ScanErrors(t *testing.T) {
	d, _ := expressDB(t)
	for _, tc := range []struct {
		dest any
		want string
	}{
		{new(int8), "db: Scan column 0 (word): unsupported destination *int8"},
		{nil, "db: Scan column 0 (word): unsupported destination <nil>"},
		{new(float64), "db: Scan column 0 (word): cannot store a string in float64"},
	} {
		rows, err := d.Query(context.Background(), "SELECT NEAREST('w0', 1) FROM t")
		if err != nil {
			t.Fatal(err)
		}
		if !rows.Next() {
			t.Fatal("no row")
		}
		var s float32
		err = rows.Scan(tc.dest, &s)
		rows.Close()
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Scan(%T): %v, want %s", tc.dest, err, tc.want)
		}
	}
}
