package main

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// dumpBatchBytes bounds the text of one INSERT of a dump, so that reading
// it back never parses a statement of the whole table.
const dumpBatchBytes = 1 << 20

// gapPrefix starts the words of the stand-in rows a dump inserts where a
// table has deleted ids, and deletes again, so that every row keeps its
// id. A number follows, and more dashes if a real word starts with it.
const gapPrefix = "embeddb-dump-gap-"

func dotDump(s *session, ctx context.Context, args []string, _ source) (bool, error) {
	infos, err := s.tablesNamed(ctx, args)
	if err != nil {
		return false, err
	}
	fmt.Fprintf(s.out, "-- embeddb %s dump: read it back with embeddb NEW.db < FILE\n", version)
	for _, in := range infos {
		if err := dumpTable(ctx, s.db, s.out, in.Name); err != nil {
			return false, fmt.Errorf("dump %s: %w", in.Name, err)
		}
	}
	return false, nil
}

// dumpTable writes the statements that make the table name again: CREATE
// TABLE, its rows in id order (with stand-ins for deleted ids, deleted at
// the end), and CREATE INDEX. Everything is read in one transaction, so
// the dump is of one moment.
func dumpTable(ctx context.Context, d *db.DB, w *bufio.Writer, name string) error {
	prefix, err := freeGapPrefix(ctx, d, name)
	if err != nil {
		return err
	}
	return d.View(ctx, func(tx *db.Tx) error {
		in, err := tx.Table(name)
		if err != nil {
			return err
		}
		ident := query.QuoteIdent(in.Name)
		w.WriteString("\n" + dumpComment(in))
		fmt.Fprintf(w, "CREATE TABLE %s (dim = %d, type = %s, metric = %s%s);\n", ident, in.Dim,
			query.QuoteString(in.Elem.String()), query.QuoteString(in.Metric), columnDefs(in.Columns))
		ins := &inserter{w: w, head: "INSERT INTO " + ident + " (word, count, vector" + columnNames(in.Columns) + ") VALUES\n", cols: in.Columns}
		next, gaps := uint32(0), 0
		zero := make([]float32, in.Dim)
		gap := gapColumns(in.Columns)
		err = tx.ForEach(in.Name, true, func(r db.Row) error {
			for ; next < r.ID; next++ {
				ins.add(prefix+strconv.FormatUint(uint64(next), 10), 0, zero, gap)
				gaps++
			}
			next = r.ID + 1
			ins.add(r.Word, r.Count, r.Vector, r.Cols)
			return nil
		})
		if err != nil {
			return err
		}
		for ; next < in.NextID; next++ {
			ins.add(prefix+strconv.FormatUint(uint64(next), 10), 0, zero, gap)
			gaps++
		}
		ins.flush()
		if gaps > 0 {
			fmt.Fprintf(w, "DELETE FROM %s WHERE word LIKE %s;\n", ident, query.QuoteString(prefix+"%"))
		}
		if ix := in.Index; ix != nil {
			fmt.Fprintf(w, "CREATE INDEX ON %s USING %s%s;\n", ident, ix.Method, withList(ix.Params, measuredIndexParams, nil))
		}
		for _, col := range in.ScalarIndexes {
			fmt.Fprintf(w, "CREATE INDEX ON %s (%s);\n", ident, query.QuoteIdent(col))
		}
		return nil
	})
}

// dumpComment describes the table as it was: its kind and how it was
// made, which CREATE TABLE does not keep.
func dumpComment(in *db.TableInfo) string {
	c := fmt.Sprintf("-- %s: %s, %d rows, dim %d, %s, %s\n", query.QuoteIdent(in.Name), in.Kind, in.Rows, in.Dim, in.Elem, in.Metric)
	if in.Kind != "created" {
		made := strings.SplitAfterN(schemaOf(in), "\n", 3)
		if len(made) > 1 {
			c += "-- made by: " + made[1]
		}
	}
	return c
}

// freeGapPrefix returns a prefix for stand-in words that no word of the
// table starts with: gapPrefix, with more dashes if need be.
func freeGapPrefix(ctx context.Context, d *db.DB, name string) (string, error) {
	prefix := gapPrefix
	for {
		words, err := d.WordsWithPrefix(ctx, name, prefix, 1)
		if err != nil || len(words) == 0 {
			return prefix, err
		}
		prefix += "-"
	}
}

// inserter writes rows as INSERT statements of at most dumpBatchBytes.
type inserter struct {
	w    *bufio.Writer
	head string
	cols []db.Column // the table's user columns, written after the vector
	buf  []byte
}

func (in *inserter) add(word string, count int64, vec []float32, vals map[string]any) {
	if len(in.buf) > 0 && len(in.buf) >= dumpBatchBytes {
		in.flush()
	}
	if len(in.buf) == 0 {
		in.buf = append(in.buf, in.head...)
	} else {
		in.buf = append(in.buf, ",\n"...)
	}
	in.buf = append(in.buf, '(')
	in.buf = append(in.buf, query.QuoteString(word)...)
	in.buf = append(in.buf, ", "...)
	in.buf = strconv.AppendInt(in.buf, count, 10)
	in.buf = append(in.buf, ", ["...)
	for i, f := range vec {
		if i > 0 {
			in.buf = append(in.buf, ',')
		}
		in.buf = append(in.buf, formatFloat(float64(f), 32)...)
	}
	in.buf = append(in.buf, ']')
	for _, c := range in.cols {
		in.buf = append(in.buf, ", "...)
		in.buf = append(in.buf, sqlValue(vals[c.Name])...)
	}
	in.buf = append(in.buf, ')')
}

func (in *inserter) flush() {
	if len(in.buf) == 0 {
		return
	}
	in.w.Write(in.buf)
	in.w.WriteString(";\n")
	in.buf = in.buf[:0]
}

// measuredIndexParams are index parameters CREATE INDEX measures rather
// than takes (the recall calibration of SET recall): a dump leaves them
// out, and the CREATE INDEX it writes measures them again.
var measuredIndexParams = map[string]bool{"recall_calibration": true}
