package db_test

import (
	"context"
	"reflect"
	"testing"
)

// TestDB_Exec_DropIndexIfExists checks that DROP INDEX IF EXISTS says
// what it did: dropped the index, or found none to drop.
func TestDB_Exec_DropIndexIfExists(t *testing.T) {
	d := MustOpenDB(t)
	ctx := context.Background()
	if _, err := d.Exec(ctx, "CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 0]), ('b', [0, 1])"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, sql, col string
		want           []any
	}{
		{"NoIndex", "DROP INDEX IF EXISTS ON t", "index", []any{"none"}},
		{"Index", "CREATE INDEX ON t USING hnsw; DROP INDEX IF EXISTS ON t", "dropped", []any{"index on t"}},
		{"Again", "DROP INDEX IF EXISTS ON t", "index", []any{"none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := d.Exec(ctx, tt.sql)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rows) != 1 || !reflect.DeepEqual(res.Rows[0], tt.want) || !reflect.DeepEqual(res.Columns, []string{tt.col}) {
				t.Errorf("Exec(%q) = %v %v, want %v %v", tt.sql, res.Columns, res.Rows, tt.col, tt.want)
			}
		})
	}
}
