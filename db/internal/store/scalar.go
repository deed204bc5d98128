package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Scalar indexes (CREATE INDEX ON t (col)): for each indexed column, one
// entry per live row in the table's KsScalar keyspace, keyed by the column's
// name, the row's value in an order-preserving encoding, and the row id;
// the entry's value is empty. A range of values is then a range of keys, in
// value order. The entries are written in the transaction that writes the
// row (setRow), so the index never disagrees with the rows it indexes;
// CHECK DATABASE compares them (checkScalar).

// KsScalar is the keyspace of the scalar indexes' entries.
const KsScalar byte = 5

// ErrIndexExists is returned when a column already has a scalar index.
var ErrIndexExists = errors.New("db: index already exists")

// The tags that begin an encoded value: NULL sorts first, then each type.
const (
	tagNull  byte = 0
	tagBool  byte = 1
	tagInt   byte = 2
	tagFloat byte = 3
	tagText  byte = 4
)

// ScalarBound is one end of a range of values.
type ScalarBound struct {
	Value     any  // int64, float64, string or bool
	Inclusive bool // the end's value is in the range
}

// ScalarRange is a range of a column's values; a nil end is open. Rows
// whose value is NULL are in no range.
type ScalarRange struct {
	Lo, Hi *ScalarBound
}

// ScalarIndexes returns the columns the table has a scalar index on, in
// the order they were made. The slice must not be changed.
func (t *Table) ScalarIndexes() []string { return t.meta.Scalar }

// HasScalarIndex reports whether column col has a scalar index.
func (t *Table) HasScalarIndex(col string) bool { return slices.Contains(t.meta.Scalar, col) }

// ScalarType returns the type of the values a scalar index on col holds,
// and whether col can have one: count (INTEGER) and the user columns of
// types TEXT, INTEGER, REAL and BOOLEAN (not JSON).
func (t *Table) ScalarType(col string) (ColType, bool) {
	if col == "count" {
		return ColInteger, true
	}
	i := t.ColumnIndex(col)
	if i < 0 || t.meta.Columns[i].Type == ColJSON {
		return 0, false
	}
	return t.meta.Columns[i].Type, true
}

// CreateScalarIndex indexes column col of every live row. It fails if the
// column cannot be indexed or already is.
func (t *Table) CreateScalarIndex(col string) error {
	if _, ok := t.ScalarType(col); !ok {
		return fmt.Errorf("db: table %s: column %s cannot have an index (count and columns of type TEXT, INTEGER, REAL or BOOLEAN can)", Quote(t.name), Quote(col))
	}
	if t.HasScalarIndex(col) {
		return fmt.Errorf("%w on %s", ErrIndexExists, Quote(col))
	}
	var keys [][]byte
	err := forEachScalar(t, col, func(id uint32, v any) error {
		keys = append(keys, scalarKey(col, v, id))
		return nil
	})
	if err != nil {
		return err
	}
	// In key order: bbolt inserts into one growing node per transaction,
	// so keys in row order (random in value order) cost a move of the
	// node's tail each, quadratic in the rows (a minute at 100k rows);
	// sorted, each lands at the end.
	slices.SortFunc(keys, bytes.Compare)
	ks := t.ks(KsScalar)
	for _, k := range keys {
		if err := ks.Put(k, []byte{}); err != nil {
			return err
		}
	}
	t.meta.Scalar = append(slices.Clip(t.meta.Scalar), col)
	t.dirty = true
	return nil
}

// forEachScalar calls fn with the id and the value of column col (count or
// a user column) of every live row, in id order.
func forEachScalar(t *Table, col string, fn func(id uint32, v any) error) error {
	var r *ColumnReader
	if col != "count" {
		var err error
		if r, err = t.ColumnReader(col); err != nil {
			return err
		}
	}
	return t.ForEachRow(0, false, func(row Row) error {
		var v any = row.Count
		if r != nil {
			var err error
			if v, err = r.Value(row.ID); err != nil {
				return err
			}
		}
		return fn(row.ID, v)
	})
}

// DropScalarIndex removes the scalar index on column col, or reports
// ErrNoIndex.
func (t *Table) DropScalarIndex(col string) error {
	i := slices.Index(t.meta.Scalar, col)
	if i < 0 {
		return fmt.Errorf("%w on %s", ErrNoIndex, Quote(col))
	}
	prefix := scalarPrefix(col)
	c := t.b.Cursor()
	full := append([]byte{KsScalar}, prefix...)
	var keys [][]byte
	for k, _ := c.Seek(full); k != nil && bytes.HasPrefix(k, full); k, _ = c.Next() {
		keys = append(keys, slices.Clone(k))
	}
	for _, k := range keys {
		if err := t.b.Delete(k); err != nil {
			return err
		}
	}
	t.meta.Scalar = slices.Delete(slices.Clone(t.meta.Scalar), i, i+1)
	t.dirty = true
	return nil
}

// scalarRowChanged keeps the scalar indexes in step with a row written by
// setRow: old is the row's entry before, new after (either may be dead).
// The index on count follows the entry; those on user columns gain the
// row's entry when it comes to life and lose it when it dies, at the value
// the column holds (setColumnValue keeps that in step).
func (t *Table) scalarRowChanged(id uint32, old, new rowEntry) error {
	if len(t.meta.Scalar) == 0 {
		return nil
	}
	ks := t.ks(KsScalar)
	for _, col := range t.meta.Scalar {
		if col == "count" {
			if old.live && new.live && old.count == new.count {
				continue
			}
			if old.live {
				if err := ks.Delete(scalarKey(col, old.count, id)); err != nil {
					return err
				}
			}
			if new.live {
				if err := ks.Put(scalarKey(col, new.count, id), []byte{}); err != nil {
					return err
				}
			}
			continue
		}
		if old.live == new.live {
			continue
		}
		v, err := t.ColumnValue(t.ColumnIndex(col), id)
		if err != nil {
			return err
		}
		if new.live {
			err = ks.Put(scalarKey(col, v, id), []byte{})
		} else {
			err = ks.Delete(scalarKey(col, v, id))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// scalarValueChanged keeps the index on user column col, if any, in step
// with setColumnValue changing row id's value from old to new.
func (t *Table) scalarValueChanged(col string, id uint32, old, new any) error {
	if !t.HasScalarIndex(col) {
		return nil
	}
	ks := t.ks(KsScalar)
	if err := ks.Delete(scalarKey(col, old, id)); err != nil {
		return err
	}
	return ks.Put(scalarKey(col, new, id), []byte{})
}

// CompareScalar orders two values of one scalar index's type as the index
// does: -1, 0 or 1.
func CompareScalar(a, b any) int { return bytes.Compare(encodeScalar(a), encodeScalar(b)) }

// ScanScalar calls fn with the id of each row whose value of col lies in
// r, in value order, until fn returns false. Changes not yet flushed are
// seen: the entries are written with the row.
func (t *Table) ScanScalar(col string, r ScalarRange, fn func(id uint32) bool) error {
	if !t.HasScalarIndex(col) {
		return fmt.Errorf("%w: table %s has no index on %s", ErrNoIndex, Quote(t.name), Quote(col))
	}
	prefix := scalarPrefix(col)
	start := append(slices.Clone(prefix), tagNull+1)
	var lo, hi []byte
	if r.Lo != nil {
		lo = encodeScalar(r.Lo.Value)
		start = append(slices.Clone(prefix), lo...)
	} else if r.Hi != nil {
		start = append(slices.Clone(prefix), encodeScalar(r.Hi.Value)[0])
	}
	if r.Hi != nil {
		hi = encodeScalar(r.Hi.Value)
	}
	c := t.ks(KsScalar).Cursor()
	for k, _ := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix) && len(k) >= len(prefix)+5; k, _ = c.Next() {
		val := k[len(prefix) : len(k)-4]
		if lo != nil && !r.Lo.Inclusive && bytes.Equal(val, lo) {
			continue
		}
		if lo == nil && r.Hi != nil && val[0] != hi[0] {
			break // another type: past the range
		}
		if hi != nil {
			if cmp := bytes.Compare(val, hi); cmp > 0 || (cmp == 0 && !r.Hi.Inclusive) {
				break
			}
		}
		if !fn(binary.BigEndian.Uint32(k[len(k)-4:])) {
			break
		}
	}
	return c.Err()
}

// CountScalar counts the rows whose value of col lies in one of ranges
// (which may overlap only if they are equal, as an IN list's repeated
// values are), stopping once the count passes limit: the planner asks
// whether a lookup lists few enough rows to beat a scan, and a count past
// its limit answers no without reading the rest. A repeated range is
// counted once.
func (t *Table) CountScalar(col string, ranges []ScalarRange, limit int) (int, error) {
	n := 0
	for i, r := range ranges {
		if slices.ContainsFunc(ranges[:i], func(q ScalarRange) bool { return sameRange(q, r) }) {
			continue
		}
		err := t.ScanScalar(col, r, func(uint32) bool {
			n++
			return n <= limit
		})
		if err != nil || n > limit {
			return n, err
		}
	}
	return n, nil
}

// sameRange reports whether two ranges have the same ends.
func sameRange(a, b ScalarRange) bool {
	same := func(x, y *ScalarBound) bool {
		if x == nil || y == nil {
			return x == y
		}
		return x.Inclusive == y.Inclusive && CompareScalar(x.Value, y.Value) == 0
	}
	return same(a.Lo, b.Lo) && same(a.Hi, b.Hi)
}

// scalarPrefix begins every key of col's index: the name's length and the
// name.
func scalarPrefix(col string) []byte {
	return append([]byte{byte(len(col))}, col...)
}

// scalarKey is the key of row id's entry with value v in col's index.
func scalarKey(col string, v any, id uint32) []byte {
	k := append(scalarPrefix(col), encodeScalar(v)...)
	return binary.BigEndian.AppendUint32(k, id)
}

// encodeScalar encodes v so that byte order is value order within a type:
// a tag, then a sign-flipped big-endian integer, the IEEE bits of a float
// arranged to sort, or text with 0x00 escaped as 0x00 0xff and ended by
// 0x00 0x00 (so that no value is a prefix of a larger one).
func encodeScalar(v any) []byte {
	switch x := v.(type) {
	case nil:
		return []byte{tagNull}
	case bool:
		b := byte(0)
		if x {
			b = 1
		}
		return []byte{tagBool, b}
	case int64:
		return binary.BigEndian.AppendUint64([]byte{tagInt}, uint64(x)^(1<<63))
	case float64:
		bits := math.Float64bits(x)
		if bits&(1<<63) != 0 {
			bits = ^bits
		} else {
			bits |= 1 << 63
		}
		return binary.BigEndian.AppendUint64([]byte{tagFloat}, bits)
	case string:
		b := make([]byte, 0, len(x)+3)
		b = append(b, tagText)
		for i := 0; i < len(x); i++ {
			b = append(b, x[i])
			if x[i] == 0 {
				b = append(b, 0xff)
			}
		}
		return append(b, 0, 0)
	}
	panic(fmt.Sprintf("store: a scalar index cannot hold a %T", v))
}

// checkScalar reports scalar index entries that disagree with the rows:
// a live row without its entry, an entry of no live row or of another
// value.
func checkScalar(t *Table, report func(string, ...any)) {
	for _, col := range t.meta.Scalar {
		if _, ok := t.ScalarType(col); !ok {
			report("index on %s, which cannot be indexed", Quote(col))
			continue
		}
		want := map[uint32]any{}
		err := forEachScalar(t, col, func(id uint32, v any) error {
			want[id] = v
			return nil
		})
		if err != nil {
			report("index on %s not checked: %v", Quote(col), err)
			continue
		}
		checkScalarEntries(t, col, want, report)
	}
}

// checkScalarEntries compares col's index with want, the value of each
// live row by id.
func checkScalarEntries(t *Table, col string, want map[uint32]any, report func(string, ...any)) {
	prefix := scalarPrefix(col)
	seen, bad := 0, 0
	c := t.ks(KsScalar).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) < len(prefix)+5 {
			report("index on %s: a malformed entry", Quote(col))
			continue
		}
		id := binary.BigEndian.Uint32(k[len(k)-4:])
		v, live := want[id]
		if !live || !bytes.Equal(k, scalarKey(col, v, id)) {
			if bad++; bad <= 10 {
				report("index on %s: the entry of row %d does not match the row", Quote(col), id)
			}
			continue
		}
		seen++
	}
	if err := c.Err(); err != nil {
		report("index on %s: %v", Quote(col), err)
	}
	if seen != len(want) {
		report("index on %s holds %d of the %d live rows", Quote(col), seen, len(want))
	}
}
