package driver_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/driver"
)

// mustOpen opens a new database through database/sql with a small table.
func mustOpen(tb testing.TB, rows int) (*sql.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "words.db")
	sqldb, err := sql.Open("embeddb", path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sqldb.Close() })
	ctx := context.Background()
	if _, err := sqldb.ExecContext(ctx, "CREATE TABLE pets (dim = 3)"); err != nil {
		tb.Fatal(err)
	}
	res, err := sqldb.ExecContext(ctx, "INSERT INTO pets VALUES (?, ?), (?, ?), ('fish', [0.9, 0.1, 0.0])",
		"cat", []float32{0.1, 0.2, 0.3}, "dog", []float64{0.1, 0.25, 0.3})
	if err != nil {
		tb.Fatal(err)
	}
	if n, err := res.RowsAffected(); n != 3 || err != nil {
		tb.Fatalf("RowsAffected = %d, %v; want 3", n, err)
	}
	for i := range rows {
		if _, err := sqldb.ExecContext(ctx, "INSERT INTO pets VALUES (?, ?)", fmt.Sprintf("w%d", i), []float32{1, float32(i), 2}); err != nil {
			tb.Fatal(err)
		}
	}
	return sqldb, path
}

// TestDriver_Methods calls the database/sql methods a typical program
// calls, each checked against what the standard library expects.
func TestDriver_Methods(t *testing.T) {
	sqldb, _ := mustOpen(t, 0)
	ctx := context.Background()
	tests := []struct {
		name string
		run  func() error
	}{
		{"PingContext", func() error { return sqldb.PingContext(ctx) }},
		{"QueryRowContext/Vector", func() error {
			var v []float32
			if err := sqldb.QueryRowContext(ctx, "SELECT VECTOR(?) FROM pets", "cat").Scan(&v); err != nil {
				return err
			}
			if want := []float32{0.1, 0.2, 0.3}; !slices.Equal(v, want) {
				return fmt.Errorf("VECTOR = %v, want %v", v, want)
			}
			return nil
		}},
		{"QueryContext/Nearest", func() error {
			rows, err := sqldb.QueryContext(ctx, "SELECT NEAREST(?, ?) FROM pets", "cat", 2)
			if err != nil {
				return err
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var w string
				var sim float32
				if err := rows.Scan(&w, &sim); err != nil {
					return err
				}
				if sim <= 0 || sim > 1.0001 {
					return fmt.Errorf("similarity %v", sim)
				}
				got = append(got, w)
			}
			if want := []string{"dog", "fish"}; !slices.Equal(got, want) {
				return fmt.Errorf("NEAREST = %v, want %v", got, want)
			}
			return rows.Err()
		}},
		{"QueryContext/NearestVectorArg", func() error {
			var w string
			var sim float64
			err := sqldb.QueryRowContext(ctx, "SELECT NEAREST(?, 1) FROM pets", []float32{0.9, 0.1, 0}).Scan(&w, &sim)
			if err == nil && (w != "fish" || sim < 0.9999) {
				err = fmt.Errorf("NEAREST([0.9,0.1,0]) = %s %v, want fish 1", w, sim)
			}
			return err
		}},
		{"ColumnTypes", func() error {
			rows, err := sqldb.QueryContext(ctx, "SELECT id, word, count, vector FROM pets")
			if err != nil {
				return err
			}
			defer rows.Close()
			cts, err := rows.ColumnTypes()
			if err != nil {
				return err
			}
			var got []string
			for _, ct := range cts {
				got = append(got, ct.Name()+":"+ct.DatabaseTypeName()+":"+ct.ScanType().String())
			}
			want := []string{"id:INTEGER:int64", "word:TEXT:string", "count:INTEGER:int64", "vector:VECTOR:[]float32"}
			if !slices.Equal(got, want) {
				return fmt.Errorf("ColumnTypes = %v, want %v", got, want)
			}
			n := 0
			for rows.Next() {
				n++
			}
			if n != 3 {
				return fmt.Errorf("read %d rows after ColumnTypes, want 3", n)
			}
			return rows.Err()
		}},
		{"PrepareContext", func() error {
			st, err := sqldb.PrepareContext(ctx, "SELECT SIMILARITY(?, ?) FROM pets")
			if err != nil {
				return err
			}
			defer st.Close()
			for _, pair := range [][2]string{{"cat", "dog"}, {"cat", "cat"}} {
				var s float32
				if err := st.QueryRowContext(ctx, pair[0], pair[1]).Scan(&s); err != nil {
					return err
				}
				if pair[0] == pair[1] && s < 0.9999 {
					return fmt.Errorf("SIMILARITY(cat, cat) = %v", s)
				}
			}
			_, err = st.ExecContext(ctx, "cat", "dog")
			return err
		}},
		{"ExecContext/Delete", func() error {
			res, err := sqldb.ExecContext(ctx, "DELETE FROM pets WHERE word = ?", "fish")
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("RowsAffected = %d, want 1", n)
			}
			if _, err := res.LastInsertId(); err == nil {
				return errors.New("LastInsertId gave no error")
			}
			return nil
		}},
		{"BeginTx", func() error {
			if _, err := sqldb.BeginTx(ctx, nil); !errors.Is(err, driver.ErrTxUnsupported) {
				return fmt.Errorf("BeginTx = %v, want ErrTxUnsupported", err)
			}
			return nil
		}},
		{"Named", func() error {
			_, err := sqldb.QueryContext(ctx, "SELECT VECTOR(?) FROM pets", sql.Named("w", "cat"))
			if !errors.Is(err, driver.ErrNamedParams) {
				return fmt.Errorf("sql.Named: %v, want ErrNamedParams", err)
			}
			return nil
		}},
		{"ErrUnknownTable", func() error {
			_, err := sqldb.QueryContext(ctx, "SELECT NEAREST(?, 3) FROM nope", "cat")
			if !errors.Is(err, db.ErrNoTable) {
				return fmt.Errorf("unknown table: %v, want db.ErrNoTable", err)
			}
			return nil
		}},
		{"ErrParamCount", func() error {
			if _, err := sqldb.QueryContext(ctx, "SELECT NEAREST(?, ?) FROM pets", "cat"); err == nil {
				return errors.New("one value for two parameters gave no error")
			}
			return nil
		}},
		{"Conn", func() error {
			c, err := sqldb.Conn(ctx)
			if err != nil {
				return err
			}
			defer c.Close()
			var n int64
			return c.QueryRowContext(ctx, "SELECT COUNT(*) FROM pets").Scan(&n)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDriver_Cancel(t *testing.T) {
	sqldb, _ := mustOpen(t, 200)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sqldb.QueryContext(ctx, "SELECT word FROM pets"); !errors.Is(err, context.Canceled) {
		t.Errorf("QueryContext with a cancelled context = %v, want context.Canceled", err)
	}

	// Cancelling while rows stream ends them with the context's error.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	rows, err := sqldb.QueryContext(ctx, "SELECT word FROM pets")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatal("no first row")
	}
	cancel()
	n := 1
	for rows.Next() {
		n++
	}
	if !errors.Is(rows.Err(), context.Canceled) || n >= 203 {
		t.Errorf("after cancel: read %d rows, Err = %v; want fewer than all and context.Canceled", n, rows.Err())
	}
}

func TestDriver_ReadOnly(t *testing.T) {
	sqldb, path := mustOpen(t, 0)
	sqldb.Close()
	ro, err := sql.Open("embeddb", "file:"+path+"?mode=ro&timeout=5s")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var n int64
	if err := ro.QueryRow("SELECT COUNT(*) FROM pets").Scan(&n); err != nil || n != 3 {
		t.Fatalf("COUNT(*) = %d, %v; want 3", n, err)
	}
	if _, err := ro.Exec("DELETE FROM pets WHERE word = 'cat'"); !errors.Is(err, db.ErrReadOnly) {
		t.Errorf("DELETE on a read-only database = %v, want db.ErrReadOnly", err)
	}
}

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct {
		dsn, path string
		ro        bool
		bad       bool
	}{
		{"words.db", "words.db", false, false},
		{"file:words.db?mode=ro&timeout=5s", "words.db", true, false},
		{"words.db?timeout=250", "words.db", false, false},
		{"words.db?mode=x", "", false, true},
		{"words.db?cache=shared", "", false, true},
		{"", "", false, true},
	} {
		path, opts, err := driver.ParseDSN(tc.dsn)
		if (err != nil) != tc.bad {
			t.Errorf("ParseDSN(%q) error = %v, want error %v", tc.dsn, err, tc.bad)
			continue
		}
		if err == nil && (path != tc.path || opts.ReadOnly != tc.ro) {
			t.Errorf("ParseDSN(%q) = %q, ro %v; want %q, %v", tc.dsn, path, opts.ReadOnly, tc.path, tc.ro)
		}
	}
}

func TestNewConnector(t *testing.T) {
	d, err := db.Open(filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sqldb := sql.OpenDB(driver.NewConnector(d))
	if _, err := sqldb.Exec("CREATE TABLE t (dim = 2)"); err != nil {
		t.Fatal(err)
	}
	sqldb.Close()
	if _, err := d.Table(context.Background(), "t"); err != nil {
		t.Errorf("the database should stay open after sql.DB.Close: %v", err)
	}
}

func TestDriver_Open(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	var drv driver.Driver
	for range 2 { // the second Open finds the file unlocked: Close closed it
		c, err := drv.Open(path + "?timeout=1s")
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
