//go:build !nocolumnar

package columnar

import (
	"fmt"
	"io"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// The Parquet reader uses arrow-go's column readers (package parquet/file)
// and makes Arrow arrays of the three columns it reads itself, rather than
// through pqarrow, which imports Arrow Flight and gRPC (see
// parquet_write.go). It reads a column of whole values (the key, the count)
// and one list of floats with a single repeated level (the vector), which
// is what every writer of vectors produces: a three-level LIST, a legacy
// two-level list or a bare repeated field.

// batchBytes is about the bytes of vectors in a record read (a variable
// so that a test can make records of a few rows).
var batchBytes = 4 << 20

// maxLevels bounds the levels (elements) held at once, and so the length
// of one vector: a damaged file's run-length levels can declare billions.
const maxLevels = 1 << 22

// parquetSource reads a Parquet file.
type parquetSource struct {
	pr   *file.Reader
	sc   *arrow.Schema // the top-level columns, as Arrow types
	leaf []int         // the leaf column under each top-level column; -1 if not one
	c    io.Closer
	path string
	// ra opens the file again for a decoder of other row groups
	// (parallel.go).
	ra parquet.ReaderAtSeeker

	read  []int // the top-level columns read, in schema order
	batch int64 // rows per record
	rg    int   // the next row group
	left  int64 // rows of the current row group not yet read
	cols  []colReader
	rec   arrow.RecordBatch // the record last returned
	elems int               // vector elements per row in the first row group, about
	extra []int             // the other columns read (columns_read.go)
}

// colReader reads rows of one column as an Arrow array.
type colReader interface {
	next(n int64) (arrow.Array, error)
}

func newParquetSource(ra parquet.ReaderAtSeeker, c io.Closer, path string) (*parquetSource, error) {
	pr, err := file.NewParquetReader(ra, file.WithReadProps(readProps())) // pagepool.go
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, path, err)
	}
	sch := pr.MetaData().Schema
	root := sch.Root()
	s := &parquetSource{pr: pr, c: c, path: path, ra: ra, leaf: make([]int, root.NumFields())}
	leaves := make([][]int, root.NumFields())
	for i := range sch.NumColumns() {
		if f := root.FieldIndexByField(sch.ColumnRoot(i)); f >= 0 {
			leaves[f] = append(leaves[f], i)
		}
	}
	fields := make([]arrow.Field, root.NumFields())
	for i := range fields {
		s.leaf[i] = -1
		t := arrow.DataType(arrow.StructOf())
		if len(leaves[i]) == 1 {
			s.leaf[i] = leaves[i][0]
			t = columnType(sch.Column(s.leaf[i]))
		}
		fields[i] = arrow.Field{Name: root.Field(i).Name(), Type: t, Nullable: true}
		if s.leaf[i] >= 0 {
			// What the column's values mean, for a table column's type
			// (columns_read.go fieldType).
			fields[i].Metadata = arrow.NewMetadata([]string{parquetLogicalKey}, []string{sch.Column(s.leaf[i]).LogicalType().String()})
		}
	}
	s.sc = arrow.NewSchema(fields, nil)
	return s, nil
}

// columnType is the Arrow type a top-level column with the single leaf col
// reads as: a list for a repeated float, else the leaf's own type.
func columnType(col *schema.Column) arrow.DataType {
	var t arrow.DataType
	switch col.PhysicalType() {
	case parquet.Types.Boolean:
		t = arrow.FixedWidthTypes.Boolean
	case parquet.Types.Int32:
		t = arrow.PrimitiveTypes.Int32
		if it, ok := col.LogicalType().(schema.IntLogicalType); ok && !it.IsSigned() {
			t = arrow.PrimitiveTypes.Uint32
		}
	case parquet.Types.Int64:
		t = arrow.PrimitiveTypes.Int64
		if it, ok := col.LogicalType().(schema.IntLogicalType); ok && !it.IsSigned() {
			t = arrow.PrimitiveTypes.Uint64
		}
	case parquet.Types.Float:
		t = arrow.PrimitiveTypes.Float32
	case parquet.Types.Double:
		t = arrow.PrimitiveTypes.Float64
	case parquet.Types.ByteArray:
		t = arrow.BinaryTypes.String
	case parquet.Types.FixedLenByteArray:
		t = &arrow.FixedSizeBinaryType{ByteWidth: col.TypeLength()}
		if _, ok := col.LogicalType().(schema.Float16LogicalType); ok && col.TypeLength() == 2 {
			t = arrow.FixedWidthTypes.Float16
		}
	default: // INT96 timestamps
		t = arrow.FixedWidthTypes.Timestamp_ns
	}
	switch col.MaxRepetitionLevel() {
	case 0:
		return t
	case 1:
		return arrow.ListOf(t)
	}
	return arrow.StructOf() // nested lists: not a vector
}

func (s *parquetSource) schema() *arrow.Schema { return s.sc }
func (s *parquetSource) rows() int64           { return s.pr.NumRows() }

func (s *parquetSource) metadata() map[string]string {
	md := map[string]string{}
	kv := s.pr.MetaData().KeyValueMetadata()
	keys, vals := kv.Keys(), kv.Values()
	for i, k := range keys {
		if k != "ARROW:schema" && i < len(vals) {
			md[k] = vals[i]
		}
	}
	return md
}

// startRecords starts reading the chosen columns only, in batches of about
// 4 MiB of vectors.
func (s *parquetSource) startRecords(cols columns, dim int) error {
	s.read = s.read[:0]
	for i := range s.sc.NumFields() {
		if i == cols.vector || i == cols.key || i == cols.count || slices.Contains(s.extra, i) {
			s.read = append(s.read, i)
		}
	}
	if dim == 0 && s.pr.NumRowGroups() > 0 {
		// A list's length is learnt from its first row; the first row
		// group's element count per row sizes the batches meanwhile.
		md := s.pr.MetaData().RowGroup(0)
		if cc, err := md.ColumnChunk(s.leaf[cols.vector]); err == nil && md.NumRows() > 0 {
			dim = int(min(max(cc.NumValues()/md.NumRows(), 1), 1<<20))
		}
	}
	s.elems = max(dim, 1)
	s.batch = int64(min(max(batchBytes/(s.elems*4), 16), 65536))
	return nil
}

// openRowGroup starts reading the next row group.
func (s *parquetSource) openRowGroup() error {
	rg := s.pr.RowGroup(s.rg)
	s.rg++
	if s.left = rg.NumRows(); s.left < 0 {
		return fmt.Errorf("row group %d declares %d rows", s.rg, s.left)
	}
	// The list columns' level and value buffers (10 MiB for a batch at 16
	// dimensions) are handed on to the next row group's, not made anew.
	var prev []*listColumn
	for _, c := range s.cols {
		if lc, ok := c.(*listColumn); ok {
			prev = append(prev, lc)
		}
	}
	s.closeColumns() // their page buffers go to this row group's
	s.cols = s.cols[:0]
	for _, i := range s.read {
		cr, err := rg.Column(s.leaf[i])
		if err != nil {
			return err
		}
		if _, isList := s.sc.Field(i).Type.(*arrow.ListType); isList {
			var reuse *listColumn
			if len(prev) > 0 {
				reuse, prev = prev[0], prev[1:]
			}
			lc, err := newListColumn(cr, int(s.batch)*s.elems, reuse)
			if err != nil {
				return err
			}
			s.cols = append(s.cols, lc)
		} else {
			s.cols = append(s.cols, &flatColumn{cr: cr})
		}
	}
	return nil
}

func (s *parquetSource) next() (arrow.RecordBatch, error) {
	if s.pr == nil {
		return nil, errClosed
	}
	if s.rec != nil {
		s.rec.Release()
		s.rec = nil
	}
	for s.left == 0 {
		if s.rg >= s.pr.NumRowGroups() {
			return nil, io.EOF
		}
		if err := s.openRowGroup(); err != nil {
			return nil, err
		}
	}
	n := min(s.batch, s.left)
	fields := make([]arrow.Field, len(s.read))
	arrs := make([]arrow.Array, len(s.read))
	defer func() {
		for _, a := range arrs {
			if a != nil {
				a.Release()
			}
		}
	}()
	for j, i := range s.read {
		a, err := s.cols[j].next(n)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", s.sc.Field(i).Name, err)
		}
		arrs[j] = a
		fields[j] = arrow.Field{Name: s.sc.Field(i).Name, Type: a.DataType(), Nullable: true}
	}
	s.left -= n
	s.rec = array.NewRecordBatch(arrow.NewSchema(fields, nil), arrs, n)
	return s.rec, nil
}

func (s *parquetSource) close() error {
	if s.rec != nil {
		s.rec.Release()
		s.rec = nil
	}
	s.closeColumns()
	s.pr, s.cols = nil, nil
	if s.c != nil {
		err := s.c.Close()
		s.c = nil
		return err
	}
	return nil
}

// closeColumns closes the column readers of the row group last read,
// handing their page buffers back to the source's pool (pagepool.go).
func (s *parquetSource) closeColumns() {
	for _, c := range s.cols {
		switch c := c.(type) {
		case *listColumn:
			c.cr.Close()
		case *flatColumn:
			c.cr.Close()
		}
	}
}

// errShort reports a column chunk with fewer rows than its row group.
var errShort = fmt.Errorf("the column ends before its row group")

// flatColumn reads a column of single values: strings or integers.
type flatColumn struct {
	cr   file.ColumnChunkReader
	defs []int16
	ba   []parquet.ByteArray
	i32  []int32
	i64  []int64
	u32  bool // i32 holds unsigned values (UINT_32 and narrower)
	// The values of a table's other columns (columns_read.go).
	bools []bool
	f32   []float32
	f64   []float64
}

func (c *flatColumn) next(n int64) (arrow.Array, error) {
	if len(c.defs) < int(n) {
		c.defs = make([]int16, n)
	}
	maxDef := c.cr.Descriptor().MaxDefinitionLevel()
	var b array.Builder
	switch c.cr.(type) {
	case *file.ByteArrayColumnChunkReader:
		b = array.NewStringBuilder(memory.DefaultAllocator)
	case *file.Int64ColumnChunkReader:
		b = array.NewInt64Builder(memory.DefaultAllocator)
		if it, ok := c.cr.Descriptor().LogicalType().(schema.IntLogicalType); ok && !it.IsSigned() {
			b = array.NewUint64Builder(memory.DefaultAllocator)
		}
	case *file.Int32ColumnChunkReader:
		b = array.NewInt64Builder(memory.DefaultAllocator)
		it, ok := c.cr.Descriptor().LogicalType().(schema.IntLogicalType)
		c.u32 = ok && !it.IsSigned()
	case *file.BooleanColumnChunkReader, *file.Float32ColumnChunkReader, *file.Float64ColumnChunkReader,
		*file.FixedLenByteArrayColumnChunkReader:
		b = otherBuilder(c.cr) // columns_read.go
	default:
		return nil, fmt.Errorf("cannot read %s values", c.cr.Type())
	}
	defer b.Release()
	b.Reserve(int(n))
	for got := int64(0); got < n; {
		// One page at a time: strings point into the page, which the next
		// page overwrites.
		lv, nv, err := c.readPage(n - got)
		if err != nil {
			return nil, err
		}
		if lv == 0 {
			return nil, errShort
		}
		v := 0
		for j := range lv {
			if maxDef > 0 && c.defs[j] < maxDef {
				b.AppendNull()
				continue
			}
			if v >= nv {
				return nil, fmt.Errorf("a page holds fewer values than its levels say")
			}
			c.append(b, v)
			v++
		}
		got += lv
	}
	return b.NewArray(), nil
}

// readPage reads up to n levels and their values from the current page.
func (c *flatColumn) readPage(n int64) (int64, int, error) {
	if !c.cr.HasNext() {
		return 0, 0, c.cr.Err()
	}
	defs := c.defs[:n]
	switch cr := c.cr.(type) {
	case *file.ByteArrayColumnChunkReader:
		c.ba = grow(c.ba, int(n))
		return cr.ReadBatchInPage(n, c.ba, defs, nil)
	case *file.Int64ColumnChunkReader:
		c.i64 = grow(c.i64, int(n))
		return cr.ReadBatchInPage(n, c.i64, defs, nil)
	case *file.Int32ColumnChunkReader:
		c.i32 = grow(c.i32, int(n))
		return cr.ReadBatchInPage(n, c.i32, defs, nil)
	}
	return c.readOther(n, defs) // columns_read.go
}

// append appends value v of the page just read to b.
func (c *flatColumn) append(b array.Builder, v int) {
	switch b := b.(type) {
	case *array.StringBuilder:
		b.BinaryBuilder.Append(c.ba[v])
	case *array.Uint64Builder:
		b.Append(uint64(c.i64[v]))
	case *array.Int64Builder:
		switch {
		case c.i64 != nil:
			b.Append(c.i64[v])
		case c.u32:
			// Parquet stores a UINT_32 in an INT32's bits: 2^31 and up
			// read as negative unless widened unsigned.
			b.Append(int64(uint32(c.i32[v])))
		default:
			b.Append(int64(c.i32[v]))
		}
	default:
		c.appendOther(b, v) // columns_read.go
	}
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
