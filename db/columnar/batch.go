//go:build !nocolumnar

package columnar

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// column returns rec's column called name (a reader of a Parquet file gets
// the chosen columns only, so indices differ from the file's schema).
func column(rec arrow.RecordBatch, name string) arrow.Array {
	if name == "" {
		return nil
	}
	if idx := rec.Schema().FieldIndices(name); len(idx) > 0 {
		return rec.Column(idx[0])
	}
	return nil
}

// firstLen returns the length of the first row of a list column.
func firstLen(col arrow.Array, path, name string) (int, error) {
	l, ok := col.(array.ListLike)
	if !ok {
		return 0, fmt.Errorf("%w: %s: column %q is not a list", ErrFormat, path, name)
	}
	if l.IsNull(0) {
		return 0, &RowError{Path: path, Row: 0, Column: name, Msg: "the vector is null", Err: ErrFormat}
	}
	s, e := l.ValueOffsets(0)
	if e-s < 1 || e-s > 1<<24 {
		return 0, &RowError{Path: path, Row: 0, Column: name, Msg: fmt.Sprintf("the vector has %d elements", e-s), Err: ErrFormat}
	}
	return int(e - s), nil
}

// fill turns the first n rows of rec into b.
func (r *Reader) fill(b *Batch, rec arrow.RecordBatch, n int) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s: row %d: %v", ErrFormat, r.path, r.done+1, p)
		}
	}()
	vc := column(rec, r.hdr.Vector)
	if vc == nil {
		return fmt.Errorf("%w: %s: a part lacks column %q", ErrFormat, r.path, r.hdr.Vector)
	}
	// A damaged file may declare more rows than its buffers hold; the
	// element count is checked against the bytes before anything of n rows
	// is allocated (null rows, refused below, may hold no elements).
	if l, ok := vc.(array.ListLike); !ok || n > vc.Len() || n-vc.NullN() > elemCount(l.ListValues())/r.hdr.Dim {
		return fmt.Errorf("%w: %s: a batch declares %d rows that its vector data does not hold", ErrFormat, r.path, n)
	}
	b.Start = r.done
	b.Words = make([]string, n) // the callback may keep them
	if kc := column(rec, r.hdr.Key); kc != nil {
		if kc.Len() < n {
			return fmt.Errorf("%w: %s: a batch's key column is shorter than its vectors", ErrFormat, r.path)
		}
		if err := r.words(b.Words, kc); err != nil {
			return err
		}
	}
	b.Counts = nil
	if cc := column(rec, r.hdr.Count); cc != nil {
		b.Counts = make([]int64, n)
		for i := range n {
			b.Counts[i] = intAt(cc, i)
		}
	}
	if err := r.fillColumns(b, rec, n); err != nil { // columns_read.go
		return err
	}
	size := r.hdr.Dim * r.hdr.Elem.Size()
	if cap(b.Data) < n*size {
		b.Data = make([]byte, n*size)
	}
	b.Data = b.Data[:n*size]
	b.Finite = false
	return r.vectors(b, vc, n)
}

// elemCount returns the number of float elements vals holds in its
// buffers (0 for other types); the typed accessors panic, recovered by
// fill, when a damaged file's buffers are shorter than its lengths say.
func elemCount(vals arrow.Array) int {
	switch v := vals.(type) {
	case *array.Float32:
		return len(v.Float32Values())
	case *array.Float16:
		return len(v.Values())
	case *array.Float64:
		return len(v.Float64Values())
	}
	return 0
}

// words fills dst with the key column's values.
//
// Arrow's string arrays hand out strings that share the array's buffer,
// which for an Arrow IPC file is the whole record batch as read (the
// vectors included): a word kept by the callback, as the bulk loader's
// sort keeps a run of them, would keep its batch's megabytes alive. So
// the words are copied, all of a batch's into one block of their own.
func (r *Reader) words(dst []string, col arrow.Array) error {
	for i := range dst {
		if col.IsNull(i) {
			return &RowError{Path: r.path, Row: r.done + int64(i), Column: r.hdr.Key, Msg: "the word is null", Err: ErrFormat}
		}
	}
	var vals func(i int) string
	switch c := col.(type) {
	case *array.String:
		vals = c.Value
	case *array.LargeString:
		vals = c.Value
	case *array.StringView:
		vals = c.Value
	case *array.Binary:
		vals = c.ValueString
	case *array.LargeBinary:
		vals = c.ValueString
	default:
		for i := range dst {
			dst[i] = strconv.FormatInt(intAt(col, i), 10)
		}
		return nil
	}
	n := 0
	for i := range dst {
		n += len(vals(i))
	}
	block := make([]byte, 0, n)
	for i := range dst {
		at := len(block)
		block = append(block, vals(i)...)
		if len(block) > at {
			// block is never written again: the strings may share it.
			dst[i] = unsafe.String(&block[at], len(block)-at)
		} else {
			dst[i] = ""
		}
	}
	return nil
}

// intAt returns row i of an integer column (0 when null).
func intAt(col arrow.Array, i int) int64 {
	if col.IsNull(i) {
		return 0
	}
	switch c := col.(type) {
	case *array.Int64:
		return c.Value(i)
	case *array.Int32:
		return int64(c.Value(i))
	case *array.Int16:
		return int64(c.Value(i))
	case *array.Int8:
		return int64(c.Value(i))
	case *array.Uint64:
		return int64(min(c.Value(i), math.MaxInt64))
	case *array.Uint32:
		return int64(c.Value(i))
	case *array.Uint16:
		return int64(c.Value(i))
	case *array.Uint8:
		return int64(c.Value(i))
	}
	return 0
}

// vectors copies n rows of the list column col into dst, in r.hdr.Elem.
func (r *Reader) vectors(b *Batch, col arrow.Array, n int) error {
	dst := b.Data
	l, ok := col.(array.ListLike)
	if !ok {
		return fmt.Errorf("%w: %s: column %q is not a list", ErrFormat, r.path, r.hdr.Vector)
	}
	vals := l.ListValues()
	dim, size := r.hdr.Dim, r.hdr.Elem.Size()
	if f32, ok := vals.(*array.Float32); ok && n > 0 && col.NullN() == 0 && vals.NullN() == 0 && r.whole(l, n) {
		// The common case: rows of dim elements end to end, one copy.
		s, _ := l.ValueOffsets(0)
		b.Finite = copyFinite32(dst, bytesOf(f32.Float32Values()[s:s+int64(n*dim)]))
		return nil
	}
	for i := range n {
		rowErr := func(msg string) error {
			return &RowError{Path: r.path, Row: r.done + int64(i), Column: r.hdr.Vector, Msg: msg, Err: ErrFormat}
		}
		if l.IsNull(i) {
			return rowErr("the vector is null")
		}
		s, e := l.ValueOffsets(i)
		if int(e-s) != dim {
			if r.dimMeta {
				return rowErr(fmt.Sprintf("the vector has %d elements where the file's metadata says %d", e-s, dim))
			}
			return rowErr(fmt.Sprintf("the vector has %d elements, the first had %d", e-s, dim))
		}
		if vals.NullN() > 0 {
			for j := s; j < e; j++ {
				if vals.IsNull(int(j)) {
					return rowErr(fmt.Sprintf("element %d is null", j-s))
				}
			}
		}
		out := dst[i*dim*size : (i+1)*dim*size]
		switch v := vals.(type) {
		case *array.Float32:
			copy(out, bytesOf(v.Float32Values()[s:e]))
		case *array.Float16:
			for j, h := range v.Values()[s:e] {
				binary.LittleEndian.PutUint16(out[2*j:], h.Uint16())
			}
		case *array.Float64:
			for j, f := range v.Float64Values()[s:e] {
				binary.LittleEndian.PutUint32(out[4*j:], math.Float32bits(float32(f)))
			}
		default:
			return rowErr(fmt.Sprintf("elements of type %s", vals.DataType()))
		}
	}
	return nil
}

// whole reports whether the first n rows of l hold dim elements each, one
// after another.
func (r *Reader) whole(l array.ListLike, n int) bool {
	first, _ := l.ValueOffsets(0)
	dim := int64(r.hdr.Dim)
	for i := range n {
		if s, e := l.ValueOffsets(i); s != first+int64(i)*dim || e-s != dim {
			return false
		}
	}
	return true
}
