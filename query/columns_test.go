package query

import "testing"

// TestParse_Columns checks the new syntax prints canonically and that the
// printed form parses to the same text.
func TestParse_Columns(t *testing.T) {
	tests := []struct{ src, want string }{
		{`CREATE TABLE docs (dim = 384, title TEXT, year integer, score REAL, draft BOOLEAN, tags JSON)`,
			`CREATE TABLE docs (dim = 384, title TEXT, year INTEGER, score REAL, draft BOOLEAN, tags JSON)`},
		{`CREATE TABLE t (lang TEXT DEFAULT 'en' NOT NULL, dim = 3, n INT DEFAULT -1)`,
			`CREATE TABLE t (dim = 3, lang TEXT DEFAULT 'en' NOT NULL, n INT DEFAULT -1)`},
		{`ALTER TABLE docs ADD COLUMN lang TEXT DEFAULT 'en'`, `ALTER TABLE docs ADD COLUMN lang TEXT DEFAULT 'en'`},
		{`ALTER TABLE docs ADD lang TEXT`, `ALTER TABLE docs ADD COLUMN lang TEXT`},
		{`ALTER TABLE docs DROP COLUMN lang`, `ALTER TABLE docs DROP COLUMN lang`},
		{`ALTER TABLE docs DROP lang`, `ALTER TABLE docs DROP COLUMN lang`},
		{`UPDATE docs SET year = 2025, vector = [1, 2] WHERE word = 'd1'`, `UPDATE docs SET year = 2025, vector = [1, 2] WHERE word = 'd1'`},
		{`UPDATE docs SET n = n + 1`, `UPDATE docs SET n = n + 1`},
		{`SELECT word FROM d WHERE a IS NULL AND NOT b IS NOT NULL`, `SELECT word FROM d WHERE a IS NULL AND NOT b IS NOT NULL`},
		{`SELECT tags->>'lang', tags -> 'a' ->> 0 FROM d WHERE tags->>'n' = 1`, `SELECT tags ->> 'lang', tags -> 'a' ->> 0 FROM d WHERE tags ->> 'n' = 1`},
		{`SELECT year, COUNT(*) FROM d WHERE x > 1 GROUP BY year, lang HAVING COUNT(*) > 5 ORDER BY year LIMIT 3`,
			`SELECT year, COUNT(*) FROM d WHERE x > 1 GROUP BY year, lang HAVING COUNT(*) > 5 ORDER BY year LIMIT 3`},
		{`SELECT JSON_EXTRACT(t, '$.a'), AVG(vector), SUM(x), MIN(y), MAX(z) FROM d`,
			`SELECT JSON_EXTRACT(t, '$.a'), AVG(vector), SUM(x), MIN(y), MAX(z) FROM d`},
	}
	for _, tt := range tests {
		stmts, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		got := stmts[0].String()
		if got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.src, got, tt.want)
		}
		again, err := Parse(got)
		if err != nil || again[0].String() != got {
			t.Errorf("reparse of %q: %v, %v", got, again, err)
		}
	}
}

func TestParse_ColumnsErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`CREATE TABLE t (dim = 3, title)`, `1:31: expected '=' or column type, found ')'`},
		{`UPDATE t SET`, `1:13: expected column name, found end of input`},
		{`SELECT a FROM t WHERE a IS 3`, `1:28: expected NULL, found '3'`},
		{`ALTER TABLE t ADD COLUMN`, `1:25: expected column name, found end of input`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %s", tt.src, err, tt.want)
		}
	}
}

func TestParse_InsertSelect(t *testing.T) {
	src := `INSERT OR REPLACE INTO t (word, vector) SELECT word, vector FROM s WHERE year = ? LIMIT ?`
	stmts, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if got := stmts[0].String(); got != src {
		t.Errorf("String() = %q", got)
	}
	if n := stmts[0].NumParams(); n != 2 {
		t.Errorf("NumParams = %d, want 2", n)
	}
}
