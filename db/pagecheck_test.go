package db

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db/internal/store"
	bolt "go.etcd.io/bbolt"
)

// buildEveryKind writes a database holding every kind of table: trained
// (TRAIN), imported float32 with an HNSW index (large enough that its
// bucket has branch pages), imported bfloat16 and float16, one with a
// tokenizer, and rows deleted so that the freelist is not empty.
func buildEveryKind(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	vecs := filepath.Join(dir, "vectors.txt")
	writeVectorsFile(tb, vecs, 6000, 32)
	tok := filepath.Join(dir, "tokenizer.json")
	if err := os.WriteFile(tok, []byte(tinyTokenizer), 0o644); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "kinds.db")
	d, err := Open(path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	for _, sql := range []string{
		"TRAIN w2v FROM '../testdata/train-data.txt' WITH (vector_size = 8, min_count = 1, workers = 1, seed = 1)",
		fmt.Sprintf("IMPORT imp FROM '%s'", vecs),
		"CREATE INDEX ON imp USING hnsw WITH (m = 8, ef_construction = 32)",
		fmt.Sprintf("IMPORT half FROM '%s' WITH (limit = 2000, type = 'bfloat16')", vecs),
		fmt.Sprintf("IMPORT f16 FROM '%s' WITH (limit = 500, type = 'float16')", vecs),
		fmt.Sprintf("IMPORT tok FROM '%s' WITH (limit = 4, tokenizer = '%s')", vecs, tok),
		"DELETE FROM imp WHERE word LIKE 'w1%'",
		"DELETE FROM half WHERE word LIKE 'w2%'",
	} {
		if _, err := d.Exec(ctx, sql); err != nil {
			tb.Fatalf("Exec(%q): %v", sql, err)
		}
	}
	return path
}

// tinyTokenizer is a byte-level BPE tokenizer.json of four tokens.
const tinyTokenizer = `{"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true},
"decoder": {"type": "ByteLevel"},
"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "c": 3}, "merges": ["a b"]}}`

func writeVectorsFile(tb testing.TB, path string, rows, dim int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d %d\n", rows, dim)
	for r := range rows {
		fmt.Fprintf(&sb, "w%d", r)
		for range dim {
			fmt.Fprintf(&sb, " %.5f", rng.Float64()*2-1)
		}
		sb.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// fileLayout is where things are in a database file, found with bbolt's
// public API and by decoding pages: the tests damage them.
type fileLayout struct {
	pageSize int64
	meta     store.BoltMeta
	root     uint64   // the root bucket's root page (a leaf)
	branch   uint64   // the root page of table imp's bucket (a branch)
	children []uint64 // its children
	leaf     uint64   // its first child (a leaf)
	tableKey []byte   // imp's bucket key in the root leaf
}

func layoutOf(tb testing.TB, path string) fileLayout {
	tb.Helper()
	bdb, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer bdb.Close()
	var l fileLayout
	l.pageSize = int64(bdb.Info().PageSize)
	err = bdb.View(func(tx *bolt.Tx) error {
		id, _ := testCatalogID(tx, "imp")
		l.tableKey = store.TableKey(id)
		l.root = uint64(tx.Cursor().Bucket().Root())
		l.branch = uint64(tx.Bucket(l.tableKey).Root())
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	raw := readPage(tb, path, l.pageSize, 0)
	l.meta, _ = store.ReadBoltMeta(raw)
	if m1, ok := store.ReadBoltMeta(readPage(tb, path, l.pageSize, 1)); ok && m1.Txid > l.meta.Txid {
		l.meta = m1
	}
	p := readPage(tb, path, l.pageSize, l.branch)
	if flags := binary.LittleEndian.Uint16(p[8:]); flags != store.BoltBranchFlag {
		tb.Fatalf("page %d of table imp has flags %#x, want a branch: make the table larger", l.branch, flags)
	}
	for i := range int(binary.LittleEndian.Uint16(p[10:])) {
		l.children = append(l.children, binary.LittleEndian.Uint64(p[store.BoltPageHeader+i*store.BoltElemSize+8:]))
	}
	l.leaf = l.children[0]
	if flags := binary.LittleEndian.Uint16(readPage(tb, path, l.pageSize, l.leaf)[8:]); flags != store.BoltLeafFlag {
		tb.Fatalf("page %d has flags %#x, want a leaf", l.leaf, flags)
	}
	return l
}

// testCatalogID returns the id of table name.
func testCatalogID(tx *bolt.Tx, name string) (uint64, bool) {
	id, err := store.CatalogID(tx, name)
	return id, err == nil
}

func readPage(tb testing.TB, path string, pageSize int64, id uint64) []byte {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, pageSize)
	if _, err := f.ReadAt(b, int64(id)*pageSize); err != nil {
		tb.Fatal(err)
	}
	return b
}

// poke writes b at byte off of page id.
func poke(tb testing.TB, path string, l fileLayout, id uint64, off int64, b []byte) {
	tb.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.WriteAt(b, int64(id)*l.pageSize+off); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func le64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }
func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }

// elementOf returns the index of the leaf element of page id whose key is
// key, and that element's position in the page.
func elementOf(tb testing.TB, path string, l fileLayout, id uint64, key []byte) (int64, int64) {
	tb.Helper()
	p := readPage(tb, path, l.pageSize, id)
	for i := range int(binary.LittleEndian.Uint16(p[10:])) {
		off := int64(store.BoltPageHeader + i*store.BoltElemSize)
		pos, ksize := int64(binary.LittleEndian.Uint32(p[off+4:])), int64(binary.LittleEndian.Uint32(p[off+8:]))
		if string(p[off+pos:off+pos+ksize]) == string(key) {
			return int64(i), off
		}
	}
	tb.Fatalf("no key %x on page %d", key, id)
	return 0, 0
}

// pokeKey sets the first byte of the key of leaf element i of page id to b.
func pokeKey(tb testing.TB, path string, l fileLayout, id uint64, i int, b byte) {
	tb.Helper()
	p := readPage(tb, path, l.pageSize, id)
	off := int64(store.BoltPageHeader + i*store.BoltElemSize)
	poke(tb, path, l, id, off+int64(binary.LittleEndian.Uint32(p[off+4:])), []byte{b})
}

// A damage is one way to break a file, and what Check must say about it.
type damage struct {
	name  string
	apply func(tb testing.TB, path string, l fileLayout)
	want  string // in one of Check's lines
}

var damages = []damage{
	{"ElementPos", func(tb testing.TB, path string, l fileLayout) {
		poke(tb, path, l, l.leaf, store.BoltPageHeader+4, le32(0x40000000)) // 1 GiB on: past the mmap
	}, "element 0 ends at byte"},
	{"Overflow", func(tb testing.TB, path string, l fileLayout) {
		poke(tb, path, l, l.leaf, 12, le32(1_700_000_000))
	}, "overflow 1700000000 runs past"},
	{"CountPastSpan", func(tb testing.TB, path string, l fileLayout) {
		poke(tb, path, l, l.leaf, 10, le16(0xfff0))
	}, "65520 elements need 1048336 bytes, past its"},
	{"BranchToItself", func(tb testing.TB, path string, l fileLayout) {
		poke(tb, path, l, l.branch, store.BoltPageHeader+store.BoltElemSize+8, le64(l.branch))
	}, "reached again from page"},
	{"BranchToAncestor", func(tb testing.TB, path string, l fileLayout) {
		poke(tb, path, l, l.branch, store.BoltPageHeader+store.BoltElemSize+8, le64(l.root))
	}, "reached again from page"},
	{"BucketRootPastPgid", func(tb testing.TB, path string, l fileLayout) {
		_, off := elementOf(tb, path, l, l.root, l.tableKey)
		p := readPage(tb, path, l.pageSize, l.root)
		pos, ksize := int64(binary.LittleEndian.Uint32(p[off+4:])), int64(binary.LittleEndian.Uint32(p[off+8:]))
		poke(tb, path, l, l.root, off+pos+ksize, le64(l.meta.Pgid+1000))
	}, "outside pages 2.."},
	{"KeyOrderInPage", func(tb testing.TB, path string, l fileLayout) {
		for _, id := range l.children {
			if p := readPage(tb, path, l.pageSize, id); binary.LittleEndian.Uint16(p[10:]) >= 2 {
				pokeKey(tb, path, l, id, 1, 0) // 0x00 sorts before element 0's key
				return
			}
		}
		tb.Fatal("no child of the branch holds two elements")
	}, "is not after the one before"},
	{"KeyBelowParentRange", func(tb testing.TB, path string, l fileLayout) {
		pokeKey(tb, path, l, l.children[1], 0, 0)
	}, "is below its parent's range"},
	{"FreelistIDOutOfRange", func(tb testing.TB, path string, l fileLayout) {
		p := readPage(tb, path, l.pageSize, l.meta.Freelist)
		slot := int64(store.BoltPageHeader)
		if binary.LittleEndian.Uint16(p[10:]) == 0xFFFF {
			slot += 8
		} else if binary.LittleEndian.Uint16(p[10:]) == 0 {
			tb.Fatal("the freelist is empty: the fixture must free pages")
		}
		poke(tb, path, l, l.meta.Freelist, slot, le64(l.meta.Pgid+5))
	}, "free id"},
}

// withWatchdog runs fn and fails the test as hung if it has not returned
// after a bound far above its normal run time.
func withWatchdog(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		t.Fatalf("%s hung (no answer after 2 minutes)", what)
	}
}

// TestPageProblems_Damaged damages a database in each named way and checks
// that the walk, Check and statements report it rather than crash or hang.
func TestPageProblems_Damaged(t *testing.T) {
	ref := buildEveryKind(t)
	l := layoutOf(t, ref)
	src, err := os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, dm := range damages {
		t.Run(dm.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(path, src, 0o644); err != nil {
				t.Fatal(err)
			}
			dm.apply(t, path, l)
			d, err := Open(path, nil)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer d.Close()
			var problems []string
			withWatchdog(t, "Check", func() { problems, err = d.Check(context.Background()) })
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			t.Logf("Check: %q", problems)
			if !containsLine(problems, dm.want) {
				t.Fatalf("Check = %q, want a line with %q", problems, dm.want)
			}
			withWatchdog(t, "SELECT", func() { _, err = d.Exec(context.Background(), "SELECT COUNT(*) FROM imp") })
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("SELECT on a damaged file: err = %v, want ErrCorrupt", err)
			}
		})
	}
}

func containsLine(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// TestPageProblems_Sound checks that the walk finds nothing wrong with a
// sound database of every table kind, also while a writer commits.
func TestPageProblems_Sound(t *testing.T) {
	d, err := Open(buildEveryKind(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	problems, err := d.st.PageProblemsNow(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("pageProblems = %q, %v; want none", problems, err)
	}
	if _, err := d.Exec(ctx, "INSERT INTO imp VALUES ('new', ["+strings.Repeat("0.5, ", 31)+"0.5])"); err != nil {
		t.Fatal(err)
	}
	err = d.st.BoltView(ctx, func(tx *bolt.Tx) error {
		// Two commits after the Begin overwrite the meta tx reads.
		for i := range 2 {
			if _, err := d.Exec(ctx, fmt.Sprintf("DELETE FROM imp WHERE word = 'w%d'", i)); err != nil {
				return err
			}
		}
		_, err := d.st.PageProblems(ctx, tx)
		if !errors.Is(err, store.ErrSnapshotMoved) {
			return fmt.Errorf("pageProblems after two commits: err = %v, want errSnapshotMoved", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if problems, err = d.st.PageProblemsNow(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("pageProblems after writes = %q, %v; want none", problems, err)
	}
}

// BenchmarkPageProblems measures the walk Open makes, on a database of
// 1M × 100 random float32 rows (about 400 MB, bulk-loaded as IMPORT does).
// EMBEDDB_BENCH_DB names a file to make once and keep between runs.
func BenchmarkPageProblems(b *testing.B) {
	path := os.Getenv("EMBEDDB_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "walk.db")
	}
	if _, err := os.Stat(path); err != nil {
		loadRandom(b, path, 1_000_000, 100, nil)
	}
	d, err := Open(path, &Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		problems, err := d.st.PageProblemsNow(ctx)
		if err != nil || len(problems) > 0 {
			b.Fatalf("pageProblems = %q, %v", problems, err)
		}
	}
	b.ReportMetric(float64(st.Size())/(1<<20), "MB")
}

// loadRandom bulk-loads n rows of dim random float32, named w0, w1, ...,
// into table "t" of the database at path, opened with opts.
func loadRandom(tb testing.TB, path string, n, dim int, opts *Options) {
	ctx := context.Background()
	d, err := Open(path, opts)
	if err != nil {
		tb.Fatal(err)
	}
	defer d.Close()
	w, err := d.BulkLoad(ctx, "t", TableSpec{Dim: dim}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	const batch = 10_000
	words, counts, vecs := make([]string, batch), make([]int64, batch), make([]float32, batch*dim)
	for i := 0; i < n; i += batch {
		for j := range words {
			words[j] = fmt.Sprintf("w%d", i+j)
		}
		for j := range vecs {
			vecs[j] = rng.Float32()*2 - 1
		}
		if err := w.Append(words, counts, vecs); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		tb.Fatal(err)
	}
}
