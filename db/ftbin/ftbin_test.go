package ftbin

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

func tiny() *Model {
	m := &Model{Args: Args{Dim: 2, WS: 5, Epoch: 5, MinCount: 1, Neg: 5, WordNgrams: 1, Loss: LossNS, Model: ModelSG,
		Bucket: 3, MinN: 3, MaxN: 6, LRUpdateRate: 100, T: 1e-4},
		Words: []string{"</s>", "café", "b"}, Counts: []int64{3, 2, 1}, NTokens: 6}
	for i := 0; i < (3+3)*2; i++ {
		m.Input = append(m.Input, float32(i)/8)
	}
	m.Output = []float32{1, 2, 3, 4, 5, 6}
	m.OutputRows = 3
	return m
}

func TestWriteRead(t *testing.T) {
	var buf bytes.Buffer
	want := tiny()
	if err := Write(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read(Write(m)) = %+v, want %+v", got, want)
	}
}

// TestRead_Fixtures reads the .bin files of Facebook's fastText and of gensim (made by
// ../testdata/gen_ftbin.py) and writes them back byte for byte.
func TestRead_Fixtures(t *testing.T) {
	for _, name := range []string{"../testdata/ft-fb.bin", "../testdata/ft-gensim.bin"} {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Read(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(m.Words) < 100 || m.Args.Bucket < 1000 {
			t.Fatalf("%s: %d words, %d buckets", name, len(m.Words), m.Args.Bucket)
		}
		var buf bytes.Buffer
		if err := Write(&buf, m); err != nil {
			t.Fatal(err)
		}
		if name == "../testdata/ft-gensim.bin" && !bytes.Equal(buf.Bytes(), raw) {
			t.Errorf("%s: written back differently", name)
		}
		if name == "../testdata/ft-fb.bin" {
			// fastText writes its own pruneidx_size (0) where Write writes gensim's -1;
			// everything else is the same.
			again, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil || !reflect.DeepEqual(again, m) {
				t.Errorf("%s: round trip differs (%v)", name, err)
			}
		}
	}
}

func TestRead_Errors(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, tiny()); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"Empty", nil},
		{"BadMagic", append([]byte{1, 2, 3, 4}, good[4:]...)},
		{"Truncated", good[:len(good)-3]},
		{"TrailingBytes", append(append([]byte(nil), good...), 0)},
		{"HugeDim", func() []byte {
			b := append([]byte(nil), good...)
			b[8], b[9], b[10], b[11] = 0xff, 0xff, 0xff, 0x7f
			return b
		}()},
		{"RepeatedWord", func() []byte {
			m := tiny()
			m.Words[2] = m.Words[1]
			var b bytes.Buffer
			Write(&b, m)
			return b.Bytes()
		}()},
		{"TruncatedMatrix", good[:len(good)-4*len(tiny().Output)-20]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Read(bytes.NewReader(tc.data), int64(len(tc.data))); !errors.Is(err, ErrFormat) {
				t.Errorf("err = %v, want ErrFormat", err)
			}
		})
	}
	// The size given is a bound, not what the stream holds: a stream shorter than it is
	// truncated inside the input matrix, at the byte where it ends.
	short := good[:len(good)-4*len(tiny().Output)-20]
	_, err := Read(bytes.NewReader(short), int64(len(good)))
	if want := fmt.Sprintf("at byte %d", len(short)); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("truncated matrix: err = %v, want one saying %q", err, want)
	}
	m := tiny()
	m.Words[2] = m.Words[1]
	buf.Reset()
	Write(&buf, m)
	if _, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len())); err == nil || !strings.Contains(err.Error(), `"café" appears twice`) {
		t.Errorf("repeated word: err = %v", err)
	}
}

// FuzzRead checks that no input panics or allocates beyond what the stream can hold, and
// that what reads writes back to bytes that read to the same model (compared as bytes, so
// NaN values compare equal).
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	if err := Write(&buf, tiny()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:60])
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		var out bytes.Buffer
		if err := Write(&out, m); err != nil {
			t.Fatal(err)
		}
		again, err := Read(bytes.NewReader(out.Bytes()), int64(out.Len()))
		if err != nil {
			t.Fatalf("reading what Write wrote: %v", err)
		}
		var out2 bytes.Buffer
		if err := Write(&out2, again); err != nil || !bytes.Equal(out.Bytes(), out2.Bytes()) {
			t.Fatalf("round trip differs (%v)", err)
		}
	})
}
