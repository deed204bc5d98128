package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// bulkColSpec is a table with a column of each type.
func bulkColSpec() TableSpec {
	return TableSpec{Dim: 2, Columns: []Column{
		{Name: "title", Type: ColText},
		{Name: "year", Type: ColInteger},
		{Name: "score", Type: ColReal},
		{Name: "ok", Type: ColBoolean},
		{Name: "meta", Type: ColJSON},
	}}
}

// bulkColValue is row i's value of column j (every seventh NULL, the last
// 300 rows NULL in "title", so that whole chunks and chunk tails are).
func bulkColValue(i, j, rows int) any {
	if (i+j)%7 == 0 || j == 0 && i >= rows-300 {
		return nil
	}
	switch j {
	case 0:
		return "t" + strconv.Itoa(i)
	case 1:
		return int64(i) - 1<<40
	case 2:
		return float64(i) / 4
	case 3:
		return i%3 == 0
	}
	return fmt.Sprintf(`{"i":%d}`, i)
}

// colBytes returns every column chunk of table name, by key.
func colBytes(t *testing.T, d *DB, name string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := d.View(context.Background(), func(tx *Tx) error {
		tb, err := OpenTable(tx, name)
		if err != nil {
			return err
		}
		prefix := []byte{KsCol}
		c := tb.b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			out[string(k)] = append([]byte(nil), v...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBulkWriter_Columns loads rows with user columns and checks that
// their chunks are the bytes INSERT writes for the same rows, that every
// value reads back, and that CHECK DATABASE finds nothing.
func TestBulkWriter_Columns(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "c.db"), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	const rows, batch = 5000, 333
	w, err := d.BulkLoad(ctx, "bulk", bulkColSpec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for lo := 0; lo < rows; lo += batch {
		hi := min(lo+batch, rows)
		words, vecs := make([]string, hi-lo), make([]float32, 2*(hi-lo))
		cols := make([][]any, 5)
		for i := lo; i < hi; i++ {
			words[i-lo] = "w" + strconv.Itoa(i)
			for j := range cols {
				cols[j] = append(cols[j], bulkColValue(i, j, rows))
			}
		}
		if err := w.AppendColumns(words, nil, vecs, cols); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	// The same rows by INSERT.
	err = d.Update(ctx, func(tx *Tx) error {
		if err := tx.CreateTable("ins", bulkColSpec()); err != nil {
			return err
		}
		tb, err := OpenTable(tx, "ins")
		if err != nil {
			return err
		}
		for i := range rows {
			r := Row{Word: "w" + strconv.Itoa(i), Vector: []float32{0, 0}, Cols: map[string]any{}}
			for j, c := range tb.Columns() {
				r.Cols[c.Name] = bulkColValue(i, j, rows)
			}
			if _, err := tb.InsertRow(r, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, want := colBytes(t, d, "bulk"), colBytes(t, d, "ins")
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("bulk load wrote %d column chunks, INSERT %d", len(got), len(want))
	}
	for k, v := range want {
		if !bytes.Equal(got[k], v) {
			t.Fatalf("chunk %x: bulk load wrote %d bytes, INSERT %d", k, len(got[k]), len(v))
		}
	}
	err = d.View(ctx, func(tx *Tx) error {
		tb, err := OpenTable(tx, "bulk")
		if err != nil {
			return err
		}
		for j := range tb.Columns() {
			r, _ := tb.ColumnReader(tb.Columns()[j].Name)
			for i := range rows {
				v, err := r.Value(uint32(i))
				if err != nil {
					return err
				}
				if want := bulkColValue(i, j, rows); v != want {
					return fmt.Errorf("row %d column %d = %#v, want %#v", i, j, v, want)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if problems, err := d.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("Check = %v, %v", problems, err)
	}
}

// TestBulkWriter_Columns_BadValue fails a load on a value of the wrong
// type, naming row and column, and leaves nothing behind.
func TestBulkWriter_Columns_BadValue(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "c.db"), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	spec := TableSpec{Dim: 1, Columns: []Column{{Name: "year", Type: ColInteger}, {Name: "n", Type: ColInteger, NotNull: true, Default: int64(5)}}}
	w, err := d.BulkLoad(ctx, "t", spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.AppendColumns([]string{"a", "b"}, nil, []float32{1, 2}, [][]any{{int64(1), "1999"}, nil}); err == nil ||
		!strings.Contains(err.Error(), `row 1 ("b"): column "year" is INTEGER, cannot store text "1999"`) {
		t.Fatalf("AppendColumns = %v", err)
	}
	if _, err := w.Commit(); err == nil {
		t.Fatal("Commit succeeded after a bad value")
	}
	err = d.View(ctx, func(tx *Tx) error {
		if HasTable(tx, "t") {
			return errors.New("the failed load left table t")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// heldColumnBytes is about what w holds of its user columns: the chunks
// being filled (an interface value and the text it holds per slot) and
// the encoded chunks not yet written.
func (w *BulkWriter) heldColumnBytes() int {
	if w.cols == nil {
		return 0
	}
	n := w.cols.pending
	for _, b := range w.cols.bufs {
		n += cap(b) * 16
		for _, v := range b {
			if s, ok := v.(string); ok {
				n += len(s)
			}
		}
	}
	return n
}

// TestBulkWriter_MemoryBounded_Columns is TestBulkWriter_MemoryBounded
// for a table with a text and an integer column: what the writer holds
// of the columns stays under a bound set by the flush size and the chunk
// sizes, no larger in the load's second half than in its first.
func TestBulkWriter_MemoryBounded_Columns(t *testing.T) {
	defer func(f, b int) { bulkFlush, wordSortBatch = f, b }(bulkFlush, wordSortBatch)
	bulkFlush, wordSortBatch = 64<<10, 1000
	withWordKnobs(t, 100_000, 20_000, 64)
	d, err := Open(filepath.Join(t.TempDir(), "m.db"), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	const dim, batch, rows = 4, 500, 200_000
	spec := TableSpec{Dim: dim, Columns: []Column{{Name: "title", Type: ColText}, {Name: "year", Type: ColInteger}}}
	w, err := d.BulkLoad(context.Background(), "t", spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	chunk := w.meta.ChunkRows*w.meta.rowBytes() + sumLen
	colBound := bulkFlush + 2*4096 + 128*(16+32) + ColInteger.chunkRows()*16
	bound := 2*(bulkFlush+2*chunk) + wordRunBytes + 2*wordSortBatch*wordEntryBytes + colBound
	words, vecs := make([]string, batch), make([]float32, batch*dim)
	cols := [][]any{make([]any, batch), make([]any, batch)}
	var firstHalf, secondHalf, colsWritten int
	for done := 0; done < rows; done += batch {
		for i := range words {
			// Words and titles of one width, so that a batch of them
			// holds as many bytes in both halves of the load.
			words[i] = fmt.Sprintf("w%06d", done+i)
			cols[0][i] = "a title of row " + words[i]
			cols[1][i] = int64(done + i)
		}
		if err := w.AppendColumns(words, nil, vecs, cols); err != nil {
			t.Fatal(err)
		}
		w.wait()
		if w.cols.pending == 0 {
			colsWritten++
		}
		own := w.ownBytes() + w.heldColumnBytes()
		if h := own + w.sortedBytes(); h > bound {
			t.Fatalf("after %d rows the writer holds %d bytes, over %d", done+batch, h, bound)
		}
		// The sorter's part is bounded above and left out of the halves
		// (sortedBytes says why).
		if done < rows/2 {
			firstHalf = max(firstHalf, own)
		} else {
			secondHalf = max(secondHalf, own)
		}
	}
	if slack := wordSortBatch * (wordEntryBytes + 8); secondHalf > firstHalf+slack {
		t.Errorf("the writer held up to %d bytes in the load's second half, %d in its first", secondHalf, firstHalf)
	}
	t.Logf("besides the sorter's batches, held at most %d bytes in the load's first half, %d in its second", firstHalf, secondHalf)
	if colsWritten < 10 {
		t.Fatalf("the columns' chunks were written %d times during the load", colsWritten)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	err = d.View(context.Background(), func(tx *Tx) error {
		tb, err := OpenTable(tx, "t")
		if err != nil {
			return err
		}
		v, err := tb.ColumnValue(0, rows-1)
		if want := "a title of row w" + strconv.Itoa(rows-1); err != nil || v != want {
			return fmt.Errorf("last row's title = %v, %v; want %q", v, err, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBulkWriter_Columns_Abort aborts a load after its columns' chunks
// were written in transactions of their own: nothing of it remains.
func TestBulkWriter_Columns_Abort(t *testing.T) {
	defer func(f int) { bulkFlush = f }(bulkFlush)
	bulkFlush = 16 << 10
	d, err := Open(filepath.Join(t.TempDir(), "a.db"), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	w, err := d.BulkLoad(ctx, "t", TableSpec{Dim: 1, Columns: []Column{{Name: "title", Type: ColText}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	writes := 0
	for lo := 0; lo < 20000; lo += 1000 {
		words, titles := make([]string, 1000), make([]any, 1000)
		for i := range words {
			words[i], titles[i] = "w"+strconv.Itoa(lo+i), "a title of row "+strconv.Itoa(lo+i)
		}
		if err := w.AppendColumns(words, nil, make([]float32, 1000), [][]any{titles}); err != nil {
			t.Fatal(err)
		}
		if w.cols.pending == 0 {
			writes++
		}
	}
	if writes == 0 {
		t.Fatal("no column chunks were written before the abort")
	}
	id := w.id
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	err = d.View(ctx, func(tx *Tx) error {
		if tx.tx.Bucket(TableKey(id)) != nil {
			return fmt.Errorf("the aborted load's table %d remains", id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if problems, err := d.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("Check = %v, %v", problems, err)
	}
}
