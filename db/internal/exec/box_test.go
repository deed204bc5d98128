package exec

import (
	"fmt"
	"reflect"
	"runtime"
	"testing"
)

// TestBoxEach: the interfaces boxEach makes are the ones assignment makes
// (equal, of the same dynamic type, usable as map keys and printed alike),
// and they survive collections, and changes to the slice they came from.
func TestBoxEach(t *testing.T) {
	words := []string{"king", "", "queen", "日本"}
	scores := []float32{0.5, -1, 0, 3.25}
	got := make([]any, 2*len(words))
	boxEach(got, 2, words)
	boxEach(got[1:], 2, scores)
	want := make([]any, 2*len(words))
	for i := range words {
		want[2*i], want[2*i+1] = words[i], scores[i]
	}
	words[0], scores[0] = "changed", 99 // the boxes hold their own copy
	runtime.GC()
	runtime.GC()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("boxEach = %v, want %v", got, want)
	}
	seen := map[any]int{}
	for i := range got {
		if got[i] != want[i] || reflect.TypeOf(got[i]) != reflect.TypeOf(want[i]) {
			t.Fatalf("cell %d: %#v, want %#v", i, got[i], want[i])
		}
		if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
			t.Fatalf("cell %d prints %s, want %s", i, fmt.Sprint(got[i]), fmt.Sprint(want[i]))
		}
		seen[got[i]]++
	}
	if seen["queen"] != 1 || seen[float32(3.25)] != 1 {
		t.Fatalf("map keys: %v", seen)
	}
	ints := make([]any, 3)
	boxEach(ints, 1, []int64{7, -1, 1 << 40})
	if ints[0] != int64(7) || ints[2] != int64(1<<40) {
		t.Fatalf("int64 boxes: %v", ints)
	}
	if n := testing.AllocsPerRun(100, func() { boxEach(got, 2, []string{"a", "b", "c", "d"}) }); n > 1 {
		t.Fatalf("boxEach allocated %v times, want 1", n)
	}
}
