//go:build !nocolumnar

package columnar

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/parquet/file"
)

// Decoding a Parquet file is most of an IMPORT's work: of the 2.3 CPU
// seconds a million rows of 100 float32s take, 1.3 went to decompressing
// pages, decoding their levels and copying the floats out, all on the one
// goroutine of Read, while loading and committing the rows took the other
// core only part of the time. Row groups are independent (each column
// chunk has its own pages), so a file of several is decoded by a few
// workers, one row group each in turn, and the batches handed to Read's
// callback in file order, as before: the rows, their ids and the errors a
// damaged file gets are the same, only sooner.

// maxDecoders bounds the row groups decoded at once. Each holds a column
// reader's buffers (about a record's levels and values) and two batches,
// about 20 MiB for vectors of 100 float32s, and arrow-go's buffers for the
// page being read, compressed and not: 1 MiB each in embeddb's files, but
// DuckDB writes a column chunk as one page, 95 MB for 122,880 rows of 100
// float32s. Memory grows with it, never with the rows. Two decoders take
// decoding off the load's critical path; with more, committing the rows,
// a single writer in bbolt, is what a load waits for. A variable so that
// tests can read on one goroutine or several.
var maxDecoders = 2

// decoders returns how many row groups to decode at once for r, or 1 to
// read the file on one goroutine (an Arrow file, a Spark model's parts, a
// limit, a single row group, a single core).
func (r *Reader) decoders() int {
	ps, ok := r.src.(*parquetSource)
	if !ok || len(r.parts) > 0 || r.opts.Limit > 0 || ps.pr == nil {
		return 1
	}
	tasks := ps.pr.NumRowGroups() - ps.rg
	if ps.left > 0 || r.first != nil {
		tasks++
	}
	return max(1, min(runtime.GOMAXPROCS(0), maxDecoders, tasks))
}

// prepareParallel readies a Parquet file that its decoders will read in
// parallel. Its records are made smaller by as much as there are
// decoders, so that they hold between them the buffers one held. And when
// the vectors are lists, whose length Open would learn by reading the
// first record, the length comes from the row groups' metadata if it can:
// the first record's page is a whole column chunk in a DuckDB file, and
// decoding it before the decoders start took a tenth of the IMPORT.
func (r *Reader) prepareParallel() {
	n := r.decoders()
	if n < 2 {
		return
	}
	ps := r.src.(*parquetSource)
	ps.batch = max(ps.batch/int64(n), 16)
	if d := metadataDim(ps, r.cols.vector); r.hdr.Dim == 0 && d > 0 {
		r.hdr.Dim, r.dimMeta = d, true
	}
}

// metadataDim returns the number of elements every row of the list
// column col holds, according to the row groups' metadata, or 0 if it
// does not say: each column chunk must declare no null values (so no
// empty or null lists either) and a whole number of values per row, the
// same in all. A file whose lists differ in length yet average the same
// in every row group fails at the first row of another length, as one
// that differs from its first row does.
func metadataDim(ps *parquetSource, col int) (d int) {
	defer func() {
		if recover() != nil {
			d = 0 // damaged metadata: Open reads the first row instead
		}
	}()
	md := ps.pr.MetaData()
	leaf := ps.leaf[col]
	dim := int64(0)
	for i := range md.NumRowGroups() {
		rg := md.RowGroup(i)
		cc, err := rg.ColumnChunk(leaf)
		if err != nil {
			return 0
		}
		if set, _ := cc.StatsSet(); !set {
			return 0
		}
		st, err := cc.Statistics()
		if err != nil || st == nil || !st.HasNullCount() || st.NullCount() != 0 {
			return 0
		}
		rows := rg.NumRows()
		if rows == 0 {
			continue
		}
		if rows < 0 || cc.NumValues()%rows != 0 || dim != 0 && cc.NumValues()/rows != dim {
			return 0
		}
		dim = cc.NumValues() / rows
	}
	if dim < 1 || dim > 1<<24 {
		return 0
	}
	return int(dim)
}

// rgMsg is what a decoder sends: a batch, the end of a row group, or the
// error that stopped it.
type rgMsg struct {
	b   *Batch
	err error
	end bool
}

// rgTask is a row group to decode: rg (-1 for the one the source is in
// the middle of), the index of its first row, and the decoder it goes to.
type rgTask struct {
	rg      int
	base    int64
	decoder int
}

// decoder decodes every n-th row group of a file, from its own reader of
// the file, into its own batches.
type decoder struct {
	rd   Reader // a copy of the Reader whose source and row count are the decoder's own
	ps   *parquetSource
	out  chan rgMsg
	free chan *Batch
}

// readParallel is Read for a Parquet file of several row groups, decoded
// by n decoders at once. The row group the reader is in the middle of
// (Open read its first record to learn the dimension) is the first task;
// the following row groups are the next ones, task t going to decoder
// t mod n. fn sees the tasks' batches in order, on Read's goroutine.
func (r *Reader) readParallel(ctx context.Context, fn func(b *Batch) error, n int) error {
	ps := r.src.(*parquetSource)
	// A reader's metadata sets one field the first time it is asked:
	// ask before it is shared.
	ps.pr.MetaData().WriterVersion()
	var tasks []rgTask
	base := r.done
	if ps.left > 0 || r.first != nil {
		tasks = append(tasks, rgTask{rg: -1, base: base})
		base += ps.left
		if r.first != nil {
			base += r.first.NumRows()
		}
	}
	for rg := ps.rg; rg < ps.pr.NumRowGroups(); rg++ {
		tasks = append(tasks, rgTask{rg: rg, base: base, decoder: len(tasks) % n})
		base += ps.pr.MetaData().RowGroup(rg).NumRows()
	}
	decs := make([]*decoder, n)
	for i := range decs {
		src := ps
		if i > 0 {
			var err error
			if src, err = ps.fork(); err != nil {
				return fmt.Errorf("%w: %s: %v", ErrFormat, r.path, err)
			}
		}
		d := &decoder{rd: *r, ps: src, out: make(chan rgMsg, 1), free: make(chan *Batch, 2)}
		d.rd.src = src
		if i > 0 {
			d.rd.first = nil
		}
		d.free <- new(Batch)
		d.free <- new(Batch)
		decs[i] = d
	}
	r.first = nil // decoder 0 releases it
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, d := range decs {
		var mine []rgTask
		for _, t := range tasks {
			if t.decoder == i {
				mine = append(mine, t)
			}
		}
		wg.Go(func() {
			for _, t := range mine {
				d.rd.done = t.base
				if !d.run(ctx, t.rg, stop) {
					return
				}
			}
		})
	}
	err := r.consume(tasks, decs, fn)
	close(stop)
	wg.Wait()
	for _, d := range decs[1:] {
		d.ps.close()
	}
	return err
}

// consume hands the decoders' batches to fn in task order, until the last
// task ends or an error.
func (r *Reader) consume(tasks []rgTask, decs []*decoder, fn func(b *Batch) error) error {
	for _, t := range tasks {
		d := decs[t.decoder]
		for {
			m := <-d.out
			if m.err != nil {
				return m.err
			}
			if m.end {
				break
			}
			err := fn(m.b)
			r.done += int64(len(m.b.Words))
			d.free <- m.b
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// run decodes row group rg (-1: the one the source is in the middle of)
// into batches and sends them, then the row group's end. It returns false
// when it stopped: an error, sent, or stop closed.
func (d *decoder) run(ctx context.Context, rg int, stop chan struct{}) (ok bool) {
	send := func(m rgMsg) bool {
		select {
		case d.out <- m:
			return m.err == nil
		case <-stop:
			return false
		}
	}
	defer func() {
		// The Arrow library panics on some malformed input; a file is
		// user input.
		if p := recover(); p != nil {
			ok = send(rgMsg{err: fmt.Errorf("%w: %s: %v", ErrFormat, d.rd.path, p)})
		}
	}()
	if rg >= 0 {
		d.ps.rg, d.ps.left = rg, 0
		if err := d.ps.openRowGroup(); err != nil {
			return send(rgMsg{err: fmt.Errorf("%w: %s: %v", ErrFormat, d.rd.path, err)})
		}
	}
	for d.rd.first != nil || d.ps.left > 0 {
		if err := ctx.Err(); err != nil {
			return send(rgMsg{err: err})
		}
		rec, release := d.rd.first, func() {}
		d.rd.first = nil
		if rec != nil {
			release = rec.Release
		} else {
			var err error
			if rec, err = d.rd.safeNext(); err == io.EOF {
				break
			} else if err != nil {
				return send(rgMsg{err: err})
			}
		}
		n := rec.NumRows()
		if n == 0 {
			release()
			continue
		}
		var b *Batch
		select {
		case b = <-d.free:
		case <-stop:
			release()
			return false
		}
		err := d.rd.fill(b, rec, int(n))
		release()
		if err != nil {
			return send(rgMsg{err: err})
		}
		d.rd.done += n
		if !send(rgMsg{b: b}) {
			return false
		}
	}
	return send(rgMsg{end: true})
}

// fork returns a source that reads the same file through a reader of its
// own (with a pool of page buffers of its own), sharing the parsed
// metadata, for a decoder of other row groups.
func (s *parquetSource) fork() (*parquetSource, error) {
	pr, err := file.NewParquetReader(s.ra, file.WithReadProps(readProps()), file.WithMetadata(s.pr.MetaData()))
	if err != nil {
		return nil, err
	}
	return &parquetSource{pr: pr, sc: s.sc, leaf: s.leaf, path: s.path, ra: s.ra,
		read: s.read, batch: s.batch, elems: s.elems}, nil
}
