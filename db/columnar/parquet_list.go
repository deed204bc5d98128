//go:build !nocolumnar

package columnar

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// listColumn reads a list of floats with one repeated level. Levels and
// values are read a page at a time into buffers that hold the rows of at
// least one record; what is read beyond the record waits for the next.
//
// A row starts at repetition level 0. Its definition level says what it
// is: below repDef-1 a null list, repDef-1 an empty one, from repDef a
// slot that holds a value at maxDef and a null below.
type listColumn struct {
	cr             file.ColumnChunkReader
	elem           arrow.DataType
	repDef, maxDef int16

	defs, reps []int16
	f32        []float32
	f64        []float64
	f16        []uint16
	flba       []parquet.FixedLenByteArray
	lo, hi     int // the levels held
	vlo, vhi   int // the values held
	eof        bool
	even       *evenLevels // the levels of rows of one length (evenrows.go)
	want       int         // the levels of a record, about
}

// newListColumn reads a list column chunk in records of about size levels,
// in the buffers of reuse (the last row group's column, or nil).
func newListColumn(cr file.ColumnChunkReader, size int, reuse *listColumn) (*listColumn, error) {
	col := cr.Descriptor()
	if col.MaxRepetitionLevel() != 1 {
		return nil, fmt.Errorf("%d repeated levels, not a list", col.MaxRepetitionLevel())
	}
	c := &listColumn{cr: cr, maxDef: col.MaxDefinitionLevel(), want: max(size, 1)}
	// The repeated node's definition level counts the optional and
	// repeated nodes from the top down to it.
	var path []schema.Node
	for n := col.SchemaNode(); n != nil && n.Parent() != nil; n = n.Parent() {
		path = append(path, n)
	}
	for i := len(path) - 1; i >= 0; i-- {
		if r := path[i].RepetitionType(); r != parquet.Repetitions.Required {
			c.repDef++
			if r == parquet.Repetitions.Repeated {
				break
			}
		}
	}
	switch cr.(type) {
	case *file.Float32ColumnChunkReader:
		c.elem = arrow.PrimitiveTypes.Float32
	case *file.Float64ColumnChunkReader:
		c.elem = arrow.PrimitiveTypes.Float64
	case *file.FixedLenByteArrayColumnChunkReader:
		if col.TypeLength() != 2 {
			return nil, fmt.Errorf("elements of %d bytes", col.TypeLength())
		}
		c.elem = arrow.FixedWidthTypes.Float16
	default:
		return nil, fmt.Errorf("elements of type %s", cr.Type())
	}
	if reuse != nil {
		c.defs, c.reps, c.f32, c.f64, c.f16 = reuse.defs[:0], reuse.reps[:0], reuse.f32[:0], reuse.f64[:0], reuse.f16[:0]
		c.even = reuse.even
	}
	c.resize(min(max(size+size/4, 4096), maxLevels))
	return c, nil
}

// resize makes the buffers hold n levels and values, keeping those held.
func (c *listColumn) resize(n int) {
	c.defs, c.reps = resized(c.defs, n, c.lo, c.hi), resized(c.reps, n, c.lo, c.hi)
	switch c.elem.ID() {
	case arrow.FLOAT32:
		c.f32 = resized(c.f32, n, c.vlo, c.vhi)
	case arrow.FLOAT64:
		c.f64 = resized(c.f64, n, c.vlo, c.vhi)
	default:
		c.f16 = resized(c.f16, n, c.vlo, c.vhi)
		c.flba = make([]parquet.FixedLenByteArray, n)
	}
	c.hi, c.lo, c.vhi, c.vlo = c.hi-c.lo, 0, c.vhi-c.vlo, 0
}

// resized returns s with n elements, s[lo:hi] moved to its start.
func resized[T any](s []T, n, lo, hi int) []T {
	if cap(s) < n {
		t := make([]T, n)
		copy(t, s[lo:hi])
		return t
	}
	s = s[:n]
	copy(s, s[lo:hi])
	return s
}

// more reads the next page's levels (or as many as fit) after those held,
// first moving what is held to the front, or growing the buffers.
func (c *listColumn) more() error {
	n := len(c.defs)
	if c.lo == 0 && c.hi == n {
		if n >= maxLevels {
			return fmt.Errorf("a vector of more than %d elements", maxLevels)
		}
		// Full of levels not yet used: a record's rows plus the rest of
		// the page before it. Grow by a quarter, not double: the buffers
		// never shrink, and doubling them the first time a long page
		// straddled a record made a long import's memory depend on its
		// length (at 16 dimensions, 10 MiB more at 3.2M rows than at 800k).
		n = min(n+n/4, maxLevels)
	}
	c.resize(n)
	if !c.cr.HasNext() {
		c.eof = true
		return c.cr.Err()
	}
	room := int64(min(n-c.hi, c.toRead()))
	defs, reps := c.defs[c.hi:], c.reps[c.hi:]
	var lv int64
	var nv int
	var err error
	switch cr := c.cr.(type) {
	case *file.Float32ColumnChunkReader:
		lv, nv, err = cr.ReadBatchInPage(room, c.f32[c.vhi:], defs, reps)
	case *file.Float64ColumnChunkReader:
		lv, nv, err = cr.ReadBatchInPage(room, c.f64[c.vhi:], defs, reps)
	case *file.FixedLenByteArrayColumnChunkReader:
		lv, nv, err = cr.ReadBatchInPage(room, c.flba[:room], defs, reps)
		for i, b := range c.flba[:nv] {
			if len(b) != 2 {
				return fmt.Errorf("a float16 of %d bytes", len(b))
			}
			c.f16[c.vhi+i] = binary.LittleEndian.Uint16(b)
		}
	}
	if err != nil {
		return err
	}
	if lv == 0 {
		// A page that yields nothing yet is not done holds fewer values
		// than it declares; reading it again would yield nothing again.
		if c.eof = !c.cr.HasNext(); !c.eof {
			return fmt.Errorf("a page holds fewer values than it declares")
		}
	}
	c.hi += int(lv)
	c.vhi += nv
	return nil
}

// toRead returns how many levels more to read: those of a record and the
// next row's first, beyond the levels held, so that what is read past a
// record, moved to the buffers' front before the next read, is a level or
// so. Reading as much as the buffers held left a quarter of a record
// behind each time (a DuckDB page is a whole column chunk), and moving it
// was 3% of an IMPORT's CPU. A quarter of a record at least, when the rows
// are longer than the record's estimate.
func (c *listColumn) toRead() int {
	return max(c.want+1-(c.hi-c.lo), c.want/4, 1)
}

// next returns the next n rows as an Arrow list array.
func (c *listColumn) next(n int64) (arrow.Array, error) {
	if a, ok, err := c.nextEven(n); ok || err != nil {
		return a, err
	}
	rows, j := int64(0), c.lo
	for {
		for ; j < c.hi; j++ {
			if c.reps[j] == 0 {
				if rows == n {
					return c.build(rows, j)
				}
				rows++
			}
		}
		if c.eof {
			break
		}
		lo := c.lo
		if err := c.more(); err != nil {
			return nil, err
		}
		j -= lo - c.lo
	}
	if rows < n {
		return nil, errShort
	}
	return c.build(rows, j)
}

// nextEven is next for n rows as long as the last record's (c.even),
// found without looking at each level for the rows' starts, which took
// 3% of a Parquet IMPORT's CPU: the levels of n such rows are checked
// whole (evenRows), and the row after them must start where they end. It
// returns false, having perhaps read more levels but taken no row, when
// the rows are not so.
func (c *listColumn) nextEven(n int64) (arrow.Array, bool, error) {
	if c.even == nil || c.even.maxDef != c.maxDef || n <= 0 {
		return nil, false, nil
	}
	need := int(n) * c.even.per
	for c.hi-c.lo <= need && !c.eof {
		if err := c.more(); err != nil {
			return nil, false, err
		}
	}
	end := c.lo + need
	if end > c.hi || end < c.hi && c.reps[end] != 0 {
		return nil, false, nil
	}
	offsets := make([]int32, n+1)
	if !c.evenRows(c.defs[c.lo:end], c.reps[c.lo:end], n, offsets) {
		return nil, false, nil
	}
	a, err := c.finish(n, end, offsets)
	return a, true, err
}

// build makes the list array of the rows held in levels c.lo to end.
func (c *listColumn) build(rows int64, end int) (arrow.Array, error) {
	defs, reps := c.defs[c.lo:end], c.reps[c.lo:end]
	offsets := make([]int32, rows+1)
	// Most files have neither null lists nor null elements: every level is
	// maxDef, and the offsets are all there is to find; in a file of
	// vectors, rows of one length (evenrows.go).
	if !c.evenRows(defs, reps, rows, offsets) {
		row, odd := -1, int16(0)
		for j, r := range reps {
			if r == 0 {
				row++
				offsets[row] = int32(j)
			}
			odd |= defs[j] ^ c.maxDef
		}
		if odd != 0 {
			return c.buildNulls(rows, end, offsets)
		}
	}
	return c.finish(rows, end, offsets)
}

// finish makes the list array of rows held in levels c.lo to end, none
// null and no element null, whose starts offsets holds.
func (c *listColumn) finish(rows int64, end int, offsets []int32) (arrow.Array, error) {
	slots := end - c.lo
	offsets[rows] = int32(slots)
	if c.vlo+slots > c.vhi {
		return nil, fmt.Errorf("a page holds fewer values than its levels say")
	}
	vals := c.values(slots, 0, nil)
	c.lo, c.vlo = end, c.vlo+slots
	return listArray(c.elem, rows, offsets, nil, 0, vals, nil, 0), nil
}

// listArray makes a list array of elem from its buffers.
func listArray(elem arrow.DataType, rows int64, offsets []int32, valid *memory.Buffer, nullRows int,
	vals []byte, present *memory.Buffer, nullSlots int) arrow.Array {
	slots := len(vals) / elem.(arrow.FixedWidthDataType).Bytes()
	vd := array.NewData(elem, slots, []*memory.Buffer{present, memory.NewBufferBytes(vals)}, nil, nullSlots, 0)
	defer vd.Release()
	ld := array.NewData(arrow.ListOf(elem), int(rows),
		[]*memory.Buffer{valid, memory.NewBufferBytes(bytesOf(offsets))}, []arrow.ArrayData{vd}, nullRows, 0)
	defer ld.Release()
	return array.MakeFromData(ld)
}

// buildNulls is build for rows with null lists or null elements.
func (c *listColumn) buildNulls(rows int64, end int, offsets []int32) (arrow.Array, error) {
	defs, reps := c.defs[c.lo:end], c.reps[c.lo:end]
	valid := memory.NewResizableBuffer(memory.DefaultAllocator)
	defer valid.Release()
	valid.Resize(int(bitutil.BytesForBits(rows)))
	vb := valid.Bytes()
	clear(vb)
	slotNulls := memory.NewResizableBuffer(memory.DefaultAllocator)
	defer slotNulls.Release()
	slotNulls.Resize(int(bitutil.BytesForBits(int64(len(defs)))))
	sb := slotNulls.Bytes()
	clear(sb)
	row, slots, nullRows, nullSlots := -1, 0, 0, 0
	for j, d := range defs {
		if reps[j] == 0 {
			row++
			offsets[row] = int32(slots)
			if d >= c.repDef-1 {
				bitutil.SetBit(vb, row)
			} else {
				nullRows++
			}
		}
		if d >= c.repDef {
			if d == c.maxDef {
				bitutil.SetBit(sb, slots)
			} else {
				nullSlots++
			}
			slots++
		}
	}
	offsets[rows] = int32(slots)
	values := slots - nullSlots
	if c.vlo+values > c.vhi {
		return nil, fmt.Errorf("a page holds fewer values than its levels say")
	}
	vals := c.values(slots, nullSlots, sb)
	c.lo, c.vlo = end, c.vlo+values
	var slotBuf, validBuf *memory.Buffer
	if nullSlots > 0 {
		slotBuf = slotNulls
	}
	if nullRows > 0 {
		validBuf = valid
	}
	return listArray(c.elem, rows, offsets, validBuf, nullRows, vals, slotBuf, nullSlots), nil
}

// values returns the bytes of slots elements, from the values held; null
// slots (set bits in nulls mark the others) get zeros. Without nulls the
// bytes are the held values themselves, valid until the next read.
func (c *listColumn) values(slots, nullSlots int, present []byte) []byte {
	var src []byte
	size := c.elem.(arrow.FixedWidthDataType).Bytes()
	switch c.elem.ID() {
	case arrow.FLOAT32:
		src = bytesOf(c.f32[c.vlo:c.vhi])
	case arrow.FLOAT64:
		src = bytesOf(c.f64[c.vlo:c.vhi])
	default:
		src = bytesOf(c.f16[c.vlo:c.vhi])
	}
	if nullSlots == 0 {
		return src[:slots*size]
	}
	out := make([]byte, slots*size)
	v := 0
	for s := range slots {
		if bitutil.BitIsSet(present, s) {
			copy(out[s*size:(s+1)*size], src[v*size:(v+1)*size])
			v++
		}
	}
	return out
}
