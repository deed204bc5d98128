package trainer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
)

// splitCorpus writes files of numbered lines (about 5 blocks in all) and returns them with
// their text concatenated.
func splitCorpus(t *testing.T) (Corpus, string) {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	var all bytes.Buffer
	line := 0
	for f := range 3 {
		var b bytes.Buffer
		for b.Len() < 5*chunkSize/3 {
			fmt.Fprintf(&b, "line%06d alpha beta gamma delta epsilon zeta eta theta\n", line)
			line++
		}
		p := filepath.Join(dir, fmt.Sprintf("c%d.txt", f))
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		all.Write(b.Bytes())
	}
	return Files(paths...), all.String()
}

// readSplit runs readEpoch with workers and returns the blocks in the order they were sent.
func readSplit(t *testing.T, c Corpus, workers int, total int64) [][]byte {
	t.Helper()
	n := &net{opts: Options{Workers: workers}, totalBytes: total}
	var mu sync.Mutex
	var got [][]byte
	get := func() []byte { return make([]byte, 0, chunkSize) }
	err := n.readEpoch(context.Background(), c, get, func([]byte) {}, func(b []byte, _ int) error {
		mu.Lock()
		got = append(got, b)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestReadEpoch_Parts checks that an epoch read in parts (gensim corpus_file's split, see
// split.go) hands every line of the corpus over exactly once, and with one worker in order.
func TestReadEpoch_Parts(t *testing.T) {
	c, text := splitCorpus(t)
	var words atomic.Int64
	o := DefaultOptions()
	_, st, err := scanVocab(context.Background(), c, &o, &words)
	if err != nil {
		t.Fatal(err)
	}
	if st.bytes != int64(len(text)) {
		t.Fatalf("scanVocab counted %d bytes, the corpus has %d", st.bytes, len(text))
	}
	for _, workers := range []int{1, 2, 3} {
		got := readSplit(t, c, workers, st.bytes)
		var lines []string
		for _, b := range got {
			forEachLine(b, func(l []byte) { lines = append(lines, string(l)) })
		}
		want := sortedLines(text)
		sort.Strings(lines)
		if fmt.Sprint(lines) != fmt.Sprint(want) {
			t.Fatalf("workers=%d: %d lines read, want the corpus's %d, each once", workers, len(lines), len(want))
		}
		if workers == 1 {
			if !bytes.Equal(bytes.Join(got, nil), []byte(text)) {
				t.Fatal("workers=1: the epoch is not read in order")
			}
			continue
		}
		if bytes.Equal(bytes.Join(got, nil), []byte(text)) && len(got) > workers {
			t.Logf("workers=%d: the parts happened to be read one after the other", workers)
		}
	}
}

func sortedLines(text string) []string {
	var out []string
	forEachLine([]byte(text), func(l []byte) { out = append(out, string(l)) })
	sort.Strings(out)
	return out
}

// TestReadEpoch_Error checks that a failing source ends the split epoch with its error.
func TestReadEpoch_Error(t *testing.T) {
	c, text := splitCorpus(t)
	bad := errors.New("disk on fire")
	n := &net{opts: Options{Workers: 2}, totalBytes: int64(len(text))}
	get := func() []byte { return make([]byte, 0, chunkSize) }
	var sent atomic.Int64
	err := n.readEpoch(context.Background(), c, get, func([]byte) {}, func(b []byte, _ int) error {
		if sent.Add(1) == 2 {
			return bad
		}
		return nil
	})
	if !errors.Is(err, bad) {
		t.Fatalf("readEpoch = %v, want %v", err, bad)
	}
}

// TestBlockAlpha checks the learning rate of a split epoch against gensim's get_next_alpha
// (word2vec_corpusfile.pyx): each part decays it by its own sentences over the corpus's, from
// the rate at the start of the epoch, and never below min_alpha; an epoch read whole decays
// it by the shared count of raw words (alphaAt).
func TestBlockAlpha(t *testing.T) {
	o := DefaultOptions()
	o.Workers, o.Epochs, o.Alpha, o.MinAlpha = 2, 5, 0.025, 0.0001
	n := &net{opts: o, totalBytes: 10 * chunkSize, totalSents: 100, totalRawWords: 1000}
	n.partSent = make([]atomic.Int64, o.Epochs*n.epochParts())
	want := func(epoch, sents float64) float32 {
		return float32(o.Alpha - (o.Alpha-o.MinAlpha)*(epoch+sents/100)/5)
	}
	for _, c := range []struct {
		b     block
		sents int64
		want  float32
	}{
		{block{epoch: 0, part: 0}, 0, want(0, 0)},
		{block{epoch: 0, part: 0}, 30, want(0, 30)},
		{block{epoch: 0, part: 1}, 70, want(0, 70)}, // the other part counts on its own
		{block{epoch: 0, part: 0}, 5, want(0, 35)},
		{block{epoch: 3, part: 1}, 10, want(3, 10)}, // a later epoch starts from its own rate
		{block{epoch: 4, part: 0}, 500, float32(o.MinAlpha)},
	} {
		if got := n.blockAlpha(c.b, c.sents); math.Abs(float64(got-c.want)) > 1e-9 {
			t.Errorf("blockAlpha(epoch %d, part %d, +%d sentences) = %v, want %v", c.b.epoch, c.b.part, c.sents, got, c.want)
		}
	}
	n.processed.Store(1500)
	if got, want := n.blockAlpha(block{part: -1}, 7), n.alphaAt(1500); got != want {
		t.Errorf("an epoch read whole: blockAlpha = %v, want alphaAt's %v", got, want)
	}
}
