//go:build !nocolumnar

package columnar

import (
	"strconv"
	"testing"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestWords_CopiedOutOfTheBatch checks that the words a Batch hands out
// share no memory with the Arrow array they were read from. Arrow's string
// arrays return strings that point into the array's buffers, which for an
// Arrow IPC file is the record batch's whole body, vectors included; the
// bulk loader keeps words for its sort, so a shared word would keep its
// batch alive (IMPORT of an .arrow file held 66-76 MiB more than of the
// same rows in Parquet).
func TestWords_CopiedOutOfTheBatch(t *testing.T) {
	const n = 100
	want := make([]string, n)
	for i := range want {
		want[i] = "word" + strconv.Itoa(i)
	}
	want[7] = "" // an empty word takes no bytes
	mem := memory.NewGoAllocator()
	for _, typ := range []arrow.DataType{arrow.BinaryTypes.String, arrow.BinaryTypes.LargeString,
		arrow.BinaryTypes.StringView, arrow.BinaryTypes.Binary, arrow.BinaryTypes.LargeBinary} {
		t.Run(typ.String(), func(t *testing.T) {
			b := array.NewBuilder(mem, typ)
			for _, w := range want {
				switch b := b.(type) {
				case *array.StringBuilder:
					b.Append(w)
				case *array.LargeStringBuilder:
					b.Append(w)
				case *array.BinaryBuilder: // Binary, LargeBinary
					b.AppendString(w)
				case *array.StringViewBuilder:
					b.Append(w)
				default:
					t.Fatalf("no builder for %s", typ)
				}
			}
			col := b.NewArray()
			defer col.Release()
			got := make([]string, n)
			if err := (&Reader{}).words(got, col); err != nil {
				t.Fatal(err)
			}
			for i, w := range got {
				if w != want[i] {
					t.Fatalf("row %d: %q, want %q", i, w, want[i])
				}
				if w == "" {
					continue
				}
				p := uintptr(unsafe.Pointer(unsafe.StringData(w)))
				for j, buf := range col.Data().Buffers() {
					if buf == nil || buf.Len() == 0 {
						continue
					}
					lo := uintptr(unsafe.Pointer(&buf.Bytes()[0]))
					if p >= lo && p < lo+uintptr(buf.Len()) {
						t.Fatalf("row %d's word points into the array's buffer %d", i, j)
					}
				}
			}
		})
	}
}
