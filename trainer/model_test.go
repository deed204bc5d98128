package trainer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func trainSmall(t testing.TB, o Options, text string) *Model {
	t.Helper()
	m, err := Train(context.Background(), Text(text), o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const smallText = "the quick brown fox jumps over the lazy dog\nthe dog sleeps and the fox runs\nquick quick brown dog\n"

func smallOptions() Options {
	o := DefaultOptions()
	o.MinCount, o.Workers, o.VectorSize, o.Epochs = 1, 1, 12, 3
	return o
}

func TestModel_StateRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		hs   bool
		neg  int
	}{{"neg", false, 5}, {"hs", true, 0}, {"both", true, 2}} {
		t.Run(tc.name, func(t *testing.T) {
			o := smallOptions()
			o.HS, o.Negative = tc.hs, tc.neg
			m := trainSmall(t, o, smallText)
			var buf bytes.Buffer
			if err := m.WriteState(&buf); err != nil {
				t.Fatal(err)
			}
			r, err := Restore(m.Words, m.Counts, m.Vectors, bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.syn1neg, m.syn1neg) || !slices.Equal(r.syn1, m.syn1) {
				t.Error("output layers differ after Restore")
			}
			if !reflect.DeepEqual(r.Options.Params(), o.Params()) || r.Stats != m.Stats {
				t.Errorf("Restore options/stats = %+v %+v, want %+v %+v", r.Options, r.Stats, o, m.Stats)
			}
			// Restored and original models continue training identically.
			more := "the lazy fox and the quick dog\nnew words appear here\n"
			if err := m.Update(context.Background(), Text(more), o); err != nil {
				t.Fatal(err)
			}
			if err := r.Update(context.Background(), Text(more), o); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.Vectors, m.Vectors) || !slices.Equal(r.Words, m.Words) {
				t.Error("restored model trains differently from the original")
			}
		})
	}
}

func TestRestore_Errors(t *testing.T) {
	m := trainSmall(t, smallOptions(), smallText)
	var buf bytes.Buffer
	if err := m.WriteState(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flip := func(i int) []byte {
		b := slices.Clone(good)
		b[i] ^= 0x40
		return b
	}
	tests := []struct {
		name    string
		words   []string
		vectors []float32
		state   []byte
		want    error
	}{
		{"Empty", m.Words, m.Vectors, nil, ErrCorruptState},
		{"BadMagic", m.Words, m.Vectors, flip(0), ErrCorruptState},
		{"FutureVersion", m.Words, m.Vectors, flip(9), ErrStateVersion},
		{"Truncated", m.Words, m.Vectors, good[:len(good)-7], ErrCorruptState},
		{"FlippedPayload", m.Words, m.Vectors, flip(len(good) - 10), ErrCorruptState},
		{"FewerWords", m.Words[1:], m.Vectors[m.Dim:], good, ErrCorruptState},
		{"WrongVectors", m.Words, m.Vectors[1:], good, ErrCorruptState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counts := m.Counts[:len(tt.words)]
			_, err := Restore(tt.words, counts, tt.vectors, bytes.NewReader(tt.state))
			if !errors.Is(err, tt.want) {
				t.Errorf("Restore = %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzRestore checks that no state bytes make Restore panic, and that whatever it accepts
// is consistent.
func FuzzRestore(f *testing.F) {
	m := trainSmall(f, smallOptions(), smallText)
	var buf bytes.Buffer
	if err := m.WriteState(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:40])
	f.Add([]byte(stateMagic))
	f.Fuzz(func(t *testing.T, state []byte) {
		r, err := Restore(m.Words, m.Counts, m.Vectors, bytes.NewReader(state))
		if err != nil {
			if !errors.Is(err, ErrCorruptState) && !errors.Is(err, ErrStateVersion) {
				t.Fatalf("Restore error %v wraps neither ErrCorruptState nor ErrStateVersion", err)
			}
			return
		}
		if err := r.check(); err != nil {
			t.Fatalf("Restore accepted an inconsistent model: %v", err)
		}
	})
}

// TestModel_Update_GensimVocab continues training on the Lee corpus split in two and compares
// the vocabulary with gensim's build_vocab(update=True) (testdata/vocab.json).
func TestModel_Update_GensimVocab(t *testing.T) {
	g := loadVocabGolden(t)
	raw, err := os.ReadFile(sharedFile(t, g.Corpus))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(raw), "\n")
	first := strings.Join(lines[:g.Update.Split], "")
	rest := strings.Join(lines[g.Update.Split:], "")
	o := optionsFrom(t, g.Update.Params)
	o.Workers, o.Epochs, o.VectorSize = 1, 1, 8
	m, err := Train(context.Background(), Text(first), o)
	if err != nil {
		t.Fatal(err)
	}
	oldN := len(m.Words)
	old := slices.Clone(m.Vectors)
	if err := m.Update(context.Background(), Text(rest), o); err != nil {
		t.Fatal(err)
	}
	if i := firstDiff(m.Words, g.Update.Words); i >= 0 {
		t.Fatalf("words differ at %d of %d/%d: got %q, want %q", i, len(m.Words), len(g.Update.Words),
			m.Words[i:min(i+3, len(m.Words))], g.Update.Words[i:min(i+3, len(g.Update.Words))])
	}
	if i := firstDiff(m.Counts, g.Update.Counts); i >= 0 {
		t.Fatalf("counts differ at %d (%q): got %d, want %d", i, m.Words[i], m.Counts[i], g.Update.Counts[i])
	}
	v := &vocab{words: m.Words, counts: m.Counts}
	v.finish(&o)
	checkCodes(t, v, g.Update.Codes, nil)
	if len(m.Vectors) != len(m.Words)*m.Dim || len(m.syn1) != len(m.Vectors) {
		t.Fatalf("matrices not grown: %d vectors values, %d syn1 values, %d words", len(m.Vectors), len(m.syn1), len(m.Words))
	}
	if slices.Equal(m.Vectors[:oldN*m.Dim], old) {
		t.Error("old vectors unchanged by continued training")
	}
	for _, x := range m.Vectors {
		if math.IsNaN(float64(x)) {
			t.Fatal("NaN after update")
		}
	}
}

func TestModel_Update_Errors(t *testing.T) {
	m := trainSmall(t, smallOptions(), smallText)
	o := smallOptions()
	o.VectorSize = 13
	if err := m.Update(context.Background(), Text(smallText), o); !errors.Is(err, ErrDimension) {
		t.Errorf("Update with another vector_size: %v, want ErrDimension", err)
	}
	imported := &Model{Words: m.Words, Counts: m.Counts, Vectors: m.Vectors, Dim: m.Dim}
	if err := imported.Update(context.Background(), Text(smallText), smallOptions()); !errors.Is(err, ErrNotTrainable) {
		t.Errorf("Update of a model without state: %v, want ErrNotTrainable", err)
	}
	before := slices.Clone(m.Vectors)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Update(ctx, Text(smallText), smallOptions()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Update: %v, want context.Canceled", err)
	}
	if !slices.Equal(before, m.Vectors) {
		t.Error("failed Update changed the model")
	}
}

func TestStreamCorpus(t *testing.T) {
	r := strings.NewReader("alpha beta gamma\nbeta gamma delta\n")
	sc := Reader(r)
	defer sc.Close()
	var passes []string
	for i := 0; i < 3; i++ {
		err := sc.Each(context.Background(), func(r io.Reader) error {
			b, err := io.ReadAll(r)
			passes = append(passes, string(b))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range passes {
		if p != "alpha beta gamma\nbeta gamma delta\n" {
			t.Errorf("pass %d = %q", i, p)
		}
	}
	path := sc.path
	if err := sc.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("spool file %s still there after Close: %v", path, err)
	}
}
