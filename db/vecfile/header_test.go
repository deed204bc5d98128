package vecfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/vecfile"
)

// TestOpen_BadW2VHeader checks that a first line of two integers is taken
// as a word2vec header even when its numbers are impossible, and refused
// at line 1, rather than read as the row of a GloVe file of dimension 1
// ("-5 3" once imported as a word "-5" with the value 3, "0 0" as a word
// "0"). gensim refuses the negative ones too (numpy cannot make a matrix
// of negative shape); it loads "0 0" as an empty 0-dimensional set, which
// no table can hold, so that is refused as dimension 0.
func TestOpen_BadW2VHeader(t *testing.T) {
	tests := []struct {
		name, in string
		opts     vecfile.ReadOptions
		msg      string // in the error, after "path:1: "
	}{
		{"NegativeCount", "-5 3\n", vecfile.ReadOptions{}, `word2vec header "-5 3": count -5 is negative`},
		{"NegativeDim", "5 -3\na 1 2 3\n", vecfile.ReadOptions{}, `word2vec header "5 -3": dimension -3 is negative`},
		{"ZeroZero", "0 0\n", vecfile.ReadOptions{}, `word2vec header "0 0": dimension 0, but a vector needs at least one value`},
		{"ZeroZeroNoNewline", "0 0", vecfile.ReadOptions{}, `word2vec header "0 0": dimension 0`},
		{"ZeroDim", "2 0\na\nb\n", vecfile.ReadOptions{}, `word2vec header "2 0": dimension 0`},
		{"HugeCount", "99999999999999999999 3\n", vecfile.ReadOptions{}, `word2vec header "99999999999999999999 3": count is out of range`},
		{"BOM", "\xef\xbb\xbf-5 3\n", vecfile.ReadOptions{}, `word2vec header "-5 3": count -5 is negative; if this is a GloVe file whose first word is a number, give format = 'glove'`},
		{"TextNegative", "-5 3\n", vecfile.ReadOptions{Format: vecfile.Word2VecText}, `word2vec header "-5 3": count -5 is negative`},
		{"TextZero", "0 0\n", vecfile.ReadOptions{Format: vecfile.Word2VecText}, `word2vec header "0 0": dimension 0, but a vector needs at least one value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "v.txt")
			if err := os.WriteFile(path, []byte(tt.in), 0o644); err != nil {
				t.Fatal(err)
			}
			tab, err := readTable(t, path, tt.opts)
			var fe *vecfile.FormatError
			if !errors.Is(err, vecfile.ErrHeader) || !errors.As(err, &fe) {
				t.Fatalf("read %q = %v (rows %v), want an ErrHeader", tt.in, err, tab)
			}
			if want := path + ":1: " + tt.msg; fe.Line != 1 || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("read %q: error %q, want it to start with %q", tt.in, err, want)
			}
			if tt.opts.Format == vecfile.FormatAuto {
				if _, err := vecfile.Detect(path); !errors.Is(err, vecfile.ErrHeader) {
					t.Errorf("Detect(%q) = %v, want ErrHeader", tt.in, err)
				}
			}
		})
	}
}

// TestOpen_BadW2VHeader_Binary checks the binary reader's header errors.
func TestOpen_BadW2VHeader_Binary(t *testing.T) {
	for in, msg := range map[string]string{
		"-5 3\n":                       `count -5 is negative`,
		"0 0\n":                        `dimension 0`,
		"1 2\n" + bin("a", true, 1, 2): "",
	} {
		tab, err := readBytes([]byte(in), "v.bin", vecfile.ReadOptions{Format: vecfile.Word2VecBinary})
		if msg == "" {
			if err != nil || len(tab.words) != 1 {
				t.Errorf("read %q = %v, %v, want one row", in, tab, err)
			}
			continue
		}
		if !errors.Is(err, vecfile.ErrHeader) || !strings.Contains(err.Error(), msg) {
			t.Errorf("read %q = %v, want ErrHeader saying %q", in, err, msg)
		}
	}
}

// TestOpen_HeaderWithoutNewline checks that a lone header line with no line
// break is still a header: "5 3" is a word2vec file that ends before its
// rows, not a GloVe row named "5", and "0 3" is an empty file of dimension 3.
func TestOpen_HeaderWithoutNewline(t *testing.T) {
	_, err := readBytes([]byte("5 3"), "v.txt", vecfile.ReadOptions{})
	if !errors.Is(err, vecfile.ErrTruncated) {
		t.Errorf(`read "5 3" = %v, want ErrTruncated`, err)
	}
	tab, err := readBytes([]byte("0 3"), "v.txt", vecfile.ReadOptions{})
	if err != nil || tab.hdr.Format != vecfile.Word2VecText || tab.hdr.Dim != 3 || len(tab.words) != 0 {
		t.Errorf(`read "0 3" = %+v, %v, want an empty word2vec text file of dimension 3`, tab, err)
	}
}

// TestOpen_Empty checks that an empty file is called empty, not a file
// whose format cannot be told "at byte 0".
func TestOpen_Empty(t *testing.T) {
	tests := []struct {
		name, in string
		opts     vecfile.ReadOptions
		sentinel error
		want     string // the error after the path
	}{
		{"Auto", "", vecfile.ReadOptions{}, vecfile.ErrUnknownFormat, ": the file is empty (0 bytes)"},
		{"AutoBlank", "\n \n", vecfile.ReadOptions{}, vecfile.ErrUnknownFormat, ": the file holds only blank lines (3 bytes)"},
		{"Word2VecText", "", vecfile.ReadOptions{Format: vecfile.Word2VecText}, vecfile.ErrHeader, `:1: empty file: no word2vec header "count dim"`},
		{"Word2VecBinary", "", vecfile.ReadOptions{Format: vecfile.Word2VecBinary}, vecfile.ErrHeader, `: byte 0: empty file: no header line "count dim"`},
		{"GloVe", "", vecfile.ReadOptions{Format: vecfile.GloVe}, vecfile.ErrHeader, `:1: empty GloVe file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "empty.txt")
			if err := os.WriteFile(path, []byte(tt.in), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := readTable(t, path, tt.opts)
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("read %q = %v, want %v", tt.in, err, tt.sentinel)
			}
			if got, want := err.Error(), path+tt.want; got != want {
				t.Errorf("read %q: error %q, want %q", tt.in, got, want)
			}
			if tt.opts.Format == vecfile.FormatAuto {
				if _, err := vecfile.Detect(path); err == nil || err.Error() != path+tt.want {
					t.Errorf("Detect(%q) = %v, want %q", tt.in, err, path+tt.want)
				}
			}
		})
	}
}
