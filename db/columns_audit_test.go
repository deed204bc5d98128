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
	tests := []execErrCase{
		{`CREATE INDEX ON docs (titel)`, `1:23: unknown column "titel" (did you mean title?)`, db.ErrNoColumn},
		{`CREATE INDEX ON docs (yera)`, `1:23: unknown column "yera" (did you mean year?)`, db.ErrNoColumn},
	}
	wantExecErrors(t, d, tests)
	info, err := d.Table(context.Background(), "docs")
	if err != nil {
		t.Fatal(err)
	}
	if len(info.ScalarIndexes) != 0 {
		t.Errorf("failed CREATE INDEX left indexes %v", info.ScalarIndexes)
	}
}

// TestColumns_CompareErrors holds that a comparison of mismatched types
// names the column and both types, as a mismatch in an INSERT does, in a
// SELECT, an IN list, a NEAREST filter and an UPDATE's WHERE.
func TestColumns_CompareErrors(t *testing.T) {
	d := docsDB(t)
	tests := []struct{ sql, want string }{
		{`SELECT word FROM docs WHERE year = 'soon'`, `1:34: cannot compare column "year" (INTEGER) with text "soon"`},
		{`SELECT word FROM docs WHERE 3 < title`, `1:31: cannot compare integer 3 with column "title" (TEXT)`},
		{`SELECT word FROM docs WHERE year IN (2020, 'x')`, `1:44: cannot compare column "year" (INTEGER) with text "x"`},
		{`SELECT NEAREST([1, 2, 3], 2) FROM docs WHERE draft = 'x'`, `1:52: cannot compare column "draft" (BOOLEAN) with text "x"`},
		{`UPDATE docs SET year = 1 WHERE score > 'x'`, `1:38: cannot compare column "score" (REAL) with text "x"`},
	}
	for _, tt := range tests {
		_, err := d.Exec(context.Background(), tt.sql)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.sql, err, tt.want)
		}
		if !errors.Is(err, db.ErrSemantic) {
			t.Errorf("%s: error %v does not wrap ErrSemantic", tt.sql, err)
		}
	}
	if got := rowsOf(t, d, `SELECT COUNT(*) FROM docs WHERE year = 1`); got[0][0] != int64(0) {
		t.Errorf("the failed UPDATE changed rows: %v", got)
	}
}
