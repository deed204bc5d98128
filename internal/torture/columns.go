package torture

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/embeddb/embeddb/db"
)

// Tables with typed columns (issue 16): the statements that write them —
// CREATE TABLE with columns, INSERT with a column list, UPDATE of columns
// and of vectors, ALTER TABLE ADD/DROP COLUMN, scalar CREATE/DROP INDEX,
// IMPORT of JSON Lines and CSV with columns, INSERT ... SELECT — are killed
// like the others, and the state digest covers the columns, their values
// (NULL apart) and the scalar indexes.

// poolCol is a column the generator may give a table.
type poolCol struct {
	name, decl string // decl: the type and constraints, as CREATE TABLE and ADD COLUMN take them
	typ        db.ColType
}

// colPool is every column a table may have. year is NOT NULL with a
// default, so that an INSERT without it succeeds and one setting it NULL
// fails (a failed statement must change nothing).
var colPool = []poolCol{
	{"title", "TEXT", db.ColText},
	{"year", "INTEGER NOT NULL DEFAULT 2000", db.ColInteger},
	{"score", "REAL", db.ColReal},
	{"draft", "BOOLEAN DEFAULT FALSE", db.ColBoolean},
	{"tags", "JSON", db.ColJSON},
	{"lang", "TEXT DEFAULT 'en'", db.ColText},
	{"stars", "INTEGER", db.ColInteger},
}

// createColumns is a CREATE TABLE of a random set of the pool's columns.
func (g *generator) createColumns(name string) string {
	var decls []string
	for _, c := range colPool[:5] {
		if g.rng.IntN(4) > 0 {
			decls = append(decls, c.name+" "+c.decl)
		}
	}
	return fmt.Sprintf("CREATE TABLE %s (dim = 32, %s)", name, strings.Join(append(decls, "stars INTEGER"), ", "))
}

// value is a random value of a column, as SQL text (lit) and as a Go value
// for JSON Lines (nil for NULL); NULL one time in eight.
func (g *generator) value(typ db.ColType) (lit string, v any) {
	if g.rng.IntN(8) == 0 {
		return "NULL", nil
	}
	switch typ {
	case db.ColText:
		s := fmt.Sprintf("t%d", g.rng.IntN(40))
		if g.rng.IntN(10) == 0 {
			s = "it's, \"quoted\"" // quotes and a comma for SQL, JSON and CSV
		}
		return "'" + strings.ReplaceAll(s, "'", "''") + "'", s
	case db.ColInteger:
		n := int64(1990 + g.rng.IntN(40))
		return fmt.Sprint(n), n
	case db.ColReal:
		f := float64(g.rng.IntN(1000)) / 8
		return fmt.Sprint(f), f
	case db.ColBoolean:
		b := g.rng.IntN(2) == 0
		return strings.ToUpper(fmt.Sprint(b)), b
	}
	js := fmt.Sprintf(`{"k": %d, "tags": ["a", "b%d"]}`, g.rng.IntN(5), g.rng.IntN(3))
	var v2 any
	json.Unmarshal([]byte(js), &v2)
	return "'" + js + "'", v2
}

// vector is a random 32-dimensional vector literal.
func (g *generator) vector() string {
	var sb strings.Builder
	sb.WriteByte('[')
	for j := 0; j < 32; j++ {
		if j > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%.4f", g.rng.Float64()*2-1)
	}
	sb.WriteByte(']')
	return sb.String()
}

// word is a new word, or (one time in three) one an earlier round made.
func (g *generator) word(i int) string {
	if g.n > 1 && g.rng.IntN(3) == 0 {
		return fmt.Sprintf("n%d_%d", 1+g.rng.IntN(g.n-1), g.rng.IntN(20))
	}
	return fmt.Sprintf("n%d_%d", g.n, i)
}

// insertColumns is an INSERT with a column list of some of the table's
// columns; now and then it sets the NOT NULL year NULL and must fail.
func (g *generator) insertColumns(name string, cols []db.Column) string {
	var use []db.Column
	for _, c := range cols {
		if g.rng.IntN(3) > 0 {
			use = append(use, c)
		}
	}
	names := []string{"word", "vector"}
	for _, c := range use {
		names = append(names, c.Name)
	}
	var rows []string
	seen := map[string]bool{}
	for i, n := 0, 1+g.rng.IntN(200); i < n; i++ {
		w := g.word(i)
		if seen[w] {
			continue
		}
		seen[w] = true
		vals := []string{"'" + w + "'", g.vector()}
		for _, c := range use {
			lit, _ := g.value(c.Type)
			if c.NotNull && lit == "NULL" && g.rng.IntN(4) > 0 {
				lit, _ = g.value(c.Type)
			}
			vals = append(vals, lit)
		}
		rows = append(rows, "("+strings.Join(vals, ", ")+")")
	}
	return fmt.Sprintf("INSERT %sINTO %s (%s) VALUES %s", g.orReplace(), name, strings.Join(names, ", "), strings.Join(rows, ", "))
}

// where is a condition on the table's columns or its words.
func (g *generator) where(cols []db.Column) string {
	if len(cols) == 0 || g.rng.IntN(3) == 0 {
		return fmt.Sprintf("word LIKE 'n%d%%'", 1+g.rng.IntN(9))
	}
	c := cols[g.rng.IntN(len(cols))]
	switch c.Type {
	case db.ColInteger:
		return fmt.Sprintf("%s < %d", c.Name, 1990+g.rng.IntN(40))
	case db.ColReal:
		return fmt.Sprintf("%s >= %d OR %s IS NULL", c.Name, g.rng.IntN(125), c.Name)
	case db.ColBoolean:
		return "NOT " + c.Name
	case db.ColJSON:
		return fmt.Sprintf("%s->>'k' = '%d'", c.Name, g.rng.IntN(5))
	}
	return fmt.Sprintf("%s IN ('t%d', 't%d') OR %s IS NULL", c.Name, g.rng.IntN(40), g.rng.IntN(40), c.Name)
}

// update is an UPDATE of some columns, of the vector (a delete and an
// insert of each row), or both.
func (g *generator) update(name string, cols []db.Column) (string, string) {
	var sets []string
	kind := "update"
	if len(cols) == 0 || g.rng.IntN(3) == 0 {
		sets = append(sets, "vector = "+g.vector())
		kind = "updvec"
	}
	for _, c := range cols {
		if g.rng.IntN(3) > 0 {
			continue
		}
		switch lit, _ := g.value(c.Type); {
		case c.Type == db.ColInteger && g.rng.IntN(2) == 0:
			sets = append(sets, fmt.Sprintf("%s = %s + 1", c.Name, c.Name))
		case c.Type == db.ColBoolean && g.rng.IntN(2) == 0:
			sets = append(sets, fmt.Sprintf("%s = NOT %s", c.Name, c.Name))
		default:
			sets = append(sets, c.Name+" = "+lit)
		}
	}
	if len(sets) == 0 {
		sets = append(sets, "count = count + 1")
	}
	return kind, fmt.Sprintf("UPDATE %s SET %s WHERE %s", name, strings.Join(sets, ", "), g.where(cols))
}

// alter adds a column of the pool the table lacks or drops one it has.
func (g *generator) alter(name string, cols []db.Column) (string, string) {
	if len(cols) > 0 && g.rng.IntN(2) == 0 {
		return "dropcol", fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", name, cols[g.rng.IntN(len(cols))].Name)
	}
	c := colPool[g.rng.IntN(len(colPool))]
	return "addcol", fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", name, c.name, c.decl)
}

// scalarIndex creates or drops a scalar index on one of the columns (or
// count).
func (g *generator) scalarIndex(name string, cols []db.Column, have []string) (string, string) {
	if len(have) > 0 && g.rng.IntN(3) == 0 {
		return "dropsidx", fmt.Sprintf("DROP INDEX ON %s (%s)", name, have[g.rng.IntN(len(have))])
	}
	var can []string
	for _, c := range cols {
		if c.Type != db.ColJSON && !slices.Contains(have, c.Name) {
			can = append(can, c.Name)
		}
	}
	if len(can) == 0 {
		can = []string{"count"}
	}
	return "sidx", fmt.Sprintf("CREATE INDEX ON %s (%s)", name, can[g.rng.IntN(len(can))])
}

// insertSelect copies rows of another table (or the same one) with the
// columns the two share.
func (g *generator) insertSelect(name string, cols []db.Column, s *state) string {
	from := g.tables[g.rng.IntN(len(g.tables))]
	names := []string{"word", "vector"}
	for _, c := range cols {
		for _, o := range s.shapes[from].Columns {
			if o.Name == c.Name && o.Type == c.Type {
				names = append(names, c.Name)
			}
		}
	}
	list := strings.Join(names, ", ")
	return fmt.Sprintf("INSERT %sINTO %s (%s) SELECT %s FROM %s WHERE word LIKE '%c%%' OR word LIKE 'n%d%%'",
		g.orReplace(), name, list, list, from, 'a'+g.rng.IntN(26), 1+g.rng.IntN(9))
}

// importRecords writes a JSON Lines or CSV file of rows with (some of) the
// given columns and returns an IMPORT of it into name. The words are new
// but for one time in five, when the file repeats an existing word and the
// IMPORT must fail whole.
func (g *generator) importRecords(name string, cols []db.Column, csv bool) (string, string, error) {
	ext, format := "jsonl", "jsonl"
	if csv {
		ext, format = "csv", "csv"
	}
	path := filepath.Join(g.files.dir, fmt.Sprintf("rec%d.%s", g.n, ext))
	f, err := os.Create(path)
	if err != nil {
		return "", "", err
	}
	g.cleanup = append(g.cleanup, path) // removed when the next round starts
	var use []db.Column
	for _, c := range cols {
		if g.rng.IntN(4) > 0 {
			use = append(use, c)
		}
	}
	bw := bufio.NewWriter(f)
	if csv {
		hdr := []string{"word", "vector"}
		for _, c := range use {
			hdr = append(hdr, c.Name)
		}
		bw.WriteString(strings.Join(hdr, ",") + "\n")
	}
	dup := g.n > 1 && g.rng.IntN(5) == 0
	n := 100 + g.rng.IntN(4000)
	for i := 0; i < n; i++ {
		w := fmt.Sprintf("r%d_%d", g.n, i)
		if dup && i == n-1 {
			w = fmt.Sprintf("r%d_%d", 1+g.rng.IntN(g.n-1), g.rng.IntN(100))
		}
		vec := g.vector()
		if csv {
			cells := []string{w, `"` + vec + `"`}
			for _, c := range use {
				lit, v := g.value(c.Type)
				if c.NotNull && v == nil {
					lit, v = g.value(c.Type)
				}
				cells = append(cells, csvCell(c.Type, lit, v))
			}
			bw.WriteString(strings.Join(cells, ",") + "\n")
			continue
		}
		rec := map[string]any{"word": w}
		var vv []float64
		json.Unmarshal([]byte(vec), &vv)
		rec["vector"] = vv
		for _, c := range use {
			if g.rng.IntN(6) == 0 {
				continue // a missing field: NULL or the default
			}
			_, v := g.value(c.Type)
			if c.NotNull && v == nil {
				continue
			}
			rec[c.Name] = v
		}
		b, _ := json.Marshal(rec)
		bw.Write(append(b, '\n'))
	}
	if err := bw.Flush(); err != nil {
		return "", "", err
	}
	if err := f.Close(); err != nil {
		return "", "", err
	}
	return "import" + ext, fmt.Sprintf("IMPORT %s FROM '%s' WITH (format = '%s')", name, path, format), nil
}

// csvCell is a value as a CSV cell: empty for NULL, a JSON value as its
// text, quoted when it holds a quote or a comma.
func csvCell(typ db.ColType, lit string, v any) string {
	if v == nil {
		return ""
	}
	s := fmt.Sprint(v)
	if typ == db.ColJSON {
		s = lit[1 : len(lit)-1]
	}
	if strings.ContainsAny(s, "\",\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}
