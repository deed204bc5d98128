package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestColumns_IndexErrors holds the errors of a scalar index's statements
// to the rule for columns: an unknown column is named with a near
// one suggested, as a SELECT names it (it used to say the column "cannot
// have an index"). Nothing is created by a failed one.
func TestColumns_IndexErrors(t *testing.T) {
	d := docsDB(t)
	tests := []struct {
		sql, want string
		sentinel  error
	}{
		{`CREATE INDEX ON docs (titel)`, `1:23: unknown column "titel" (did you mean title?)`, db.ErrNoColumn},
		{`CREATE INDEX ON docs (yera)`, `1:23: unknown column "yera" (did you mean year?)`, db.ErrNoColumn},
	}
	for _, tt := range tests {
		_, err := d.Exec(context.Background(), tt.sql)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.sql, err, tt.want)
		}
		if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
			t.Errorf("%s: error %v does not wrap %v", tt.sql, err, tt.sentinel)
		}
	}
	info, err := d.Table(context.Background(), "docs")
	if err != nil {
		t.Fatal(err)
	}
	if len(info.ScalarIndexes) != 0 {
		t.Errorf("failed CREATE INDEX left indexes %v", info.ScalarIndexes)
	}
}
