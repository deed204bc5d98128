package torture

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/embeddb/embeddb/db"
)

// inputs are the files statements read.
type inputs struct {
	dir     string
	corpus  string // text to TRAIN on
	vectors string // a word2vec text file to IMPORT
	vocab   []string
}

// makeInputs writes a training corpus (a few seconds of training, so kills
// land in every phase) and a vector file.
func makeInputs(dir string, rng *rand.Rand) (*inputs, error) {
	in := &inputs{dir: dir, corpus: filepath.Join(dir, "corpus.txt"), vectors: filepath.Join(dir, "vectors.txt")}
	for i := 0; i < 2000; i++ {
		w := make([]byte, 3+rng.IntN(6))
		for j := range w {
			w[j] = byte('a' + rng.IntN(26))
		}
		in.vocab = append(in.vocab, string(w))
	}
	f, err := os.Create(in.corpus)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriter(f)
	for line := 0; line < 20000; line++ {
		n := 5 + rng.IntN(15)
		for i := 0; i < n; i++ {
			// Zipf-like: frequent words are frequent.
			k := int(float64(len(in.vocab)) * rng.Float64() * rng.Float64() * rng.Float64())
			if i > 0 {
				bw.WriteByte(' ')
			}
			bw.WriteString(in.vocab[k])
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	f, err = os.Create(in.vectors)
	if err != nil {
		return nil, err
	}
	bw = bufio.NewWriter(f)
	const rows, dim = 30000, 32
	fmt.Fprintf(bw, "%d %d\n", rows, dim)
	for r := 0; r < rows; r++ {
		fmt.Fprintf(bw, "v%d", r)
		for j := 0; j < dim; j++ {
			fmt.Fprintf(bw, " %.5f", rng.Float64()*2-1)
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	return in, f.Close()
}

// generator makes random statements against the tables that exist.
type generator struct {
	rng     *rand.Rand
	files   *inputs
	tables  []string
	n       int
	cleanup []string // the previous round's record files
	err     error    // writing a record file failed
}

var tableNames = []string{"a", "b", "c", "d", "e"}

// next returns a kind of statement and its text.
func (g *generator) next(s *state) (string, string) {
	g.n++
	for _, p := range g.cleanup {
		os.Remove(p)
	}
	g.cleanup = g.cleanup[:0]
	name := tableNames[g.rng.IntN(len(tableNames))]
	kind, exists := "", false
	if v, ok := s.tables[name]; ok {
		exists = true
		kind = v[:strings.IndexByte(v, '/')]
	}
	if !exists {
		switch g.rng.IntN(6) {
		case 3:
			return "createcols", g.createColumns(name)
		case 4, 5:
			k, sql, err := g.importRecords(name, poolColumns(), g.rng.IntN(2) == 0)
			g.err = err
			return k, sql
		}
		switch g.rng.IntN(3) {
		case 0:
			return "train", fmt.Sprintf("TRAIN %s FROM '%s' WITH (vector_size = 32, min_count = 1, workers = 1, seed = %d, epochs = 2)",
				name, g.files.corpus, 1+g.rng.IntN(3))
		case 1:
			return "import", fmt.Sprintf("IMPORT %s FROM '%s' WITH (limit = %d)", name, g.files.vectors, 5000+g.rng.IntN(25000))
		}
		return "create", fmt.Sprintf("CREATE TABLE %s (dim = 32)", name)
	}
	if cols := s.shapes[name].Columns; len(cols) > 0 && g.rng.IntN(3) > 0 || g.rng.IntN(6) == 0 {
		return g.columnStatement(name, s)
	}
	switch r := g.rng.IntN(10); {
	case r < 3:
		return "insert", fmt.Sprintf("INSERT %sINTO %s VALUES %s", g.orReplace(), name, g.rows(1+g.rng.IntN(300), kind))
	case r < 5:
		return "delete", fmt.Sprintf("DELETE FROM %s WHERE word LIKE '%c%%'", name, 'a'+g.rng.IntN(26))
	case r < 7:
		return "index", fmt.Sprintf("CREATE INDEX ON %s USING hnsw WITH (m = 8, ef_construction = 32)", name)
	case r < 8:
		return "dropidx", fmt.Sprintf("DROP INDEX IF EXISTS ON %s", name)
	case r < 9 && kind == "trained":
		return "update", fmt.Sprintf("TRAIN %s FROM '%s' WITH (min_count = 1, workers = 1, epochs = 1, update = true)", name, g.files.corpus)
	}
	return "drop", fmt.Sprintf("DROP TABLE %s", name)
}

func (g *generator) orReplace() string {
	if g.rng.IntN(2) == 0 {
		return "OR REPLACE "
	}
	return ""
}

// rows writes n rows of new (or, for trained tables, known) words.
func (g *generator) rows(n int, kind string) string {
	var sb strings.Builder
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		var w string
		if kind == "trained" && g.rng.IntN(2) == 0 {
			w = g.files.vocab[g.rng.IntN(len(g.files.vocab))]
		} else {
			w = fmt.Sprintf("n%d_%d", g.n, i)
		}
		if seen[w] {
			continue
		}
		seen[w] = true
		if sb.Len() > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "('%s', %s)", w, g.vector())
	}
	return sb.String()
}

// columnStatement is a statement of a table with columns (or one that may
// get some): INSERT with columns, UPDATE, ALTER, scalar indexes, IMPORT of
// records, INSERT ... SELECT.
func (g *generator) columnStatement(name string, s *state) (string, string) {
	info := s.shapes[name]
	switch r := g.rng.IntN(20); {
	case r < 5:
		return "insertcols", g.insertColumns(name, info.Columns)
	case r < 10:
		return g.update(name, info.Columns)
	case r < 12:
		return g.alter(name, info.Columns)
	case r < 15:
		return g.scalarIndex(name, info.Columns, info.ScalarIndexes)
	case r < 18:
		k, sql, err := g.importRecords(name, info.Columns, r == 17)
		g.err = err
		return k, sql
	}
	return "insertsel", g.insertSelect(name, info.Columns, s)
}

// poolColumns is the pool's columns, as a new table of records gets them.
func poolColumns() []db.Column {
	var out []db.Column
	for _, c := range colPool {
		out = append(out, db.Column{Name: c.name, Type: c.typ})
	}
	return out
}
