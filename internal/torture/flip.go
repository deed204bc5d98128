package torture

// The flip run of issue 14: damage a database of every table kind one byte
// at a time and make sure the embeddb command answers every statement
// correctly or refuses it cleanly, never crashing, hanging or running out
// of memory.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/embeddb/embeddb/db"
)

// FlipConfig says how to flip.
type FlipConfig struct {
	Binary string // the embeddb command
	Dir    string // a scratch directory
	Rounds int    // damaged files to try
	Seed   uint64
	// Timeout bounds each command; 0 means 30 seconds.
	Timeout time.Duration
	// MemoryLimit bounds each command's address space, in bytes; 0 means
	// 4 GiB (the 1 GiB memory map is address space too).
	MemoryLimit int64
	Log         func(format string, args ...any)
}

// FlipReport counts the outcomes of the commands run on damaged files.
type FlipReport struct {
	Rounds   int
	Commands int
	Same     int            // the undamaged file's answer
	Corrupt  int            // refused with ErrCorrupt
	Found    int            // CHECK DATABASE answered with problems
	Copied   int            // VACUUM (INTO) made a file on which CHECK reports problems
	Errors   map[string]int // other clean errors, by message
	Silent   map[string]int // a different answer and exit 0, by the kind of byte flipped
	Answers  []string       // those answers: round, statement, what it said and what it should have
	Crashes  []string       // signal, Go fatal error or panic: round, statement and output
	Hangs    []string       // the time bound was hit
	OverMem  []string       // the memory bound was hit
}

// Failed reports whether any command crashed, hung, hit the memory bound
// or answered differently from the undamaged file without an error.
func (r FlipReport) Failed() bool {
	return len(r.Crashes)+len(r.Hangs)+len(r.OverMem)+total(r.Silent) > 0
}

// String summarises the report in one line.
func (r FlipReport) String() string {
	return fmt.Sprintf("%d rounds, %d commands: %d same answer, %d refused as corrupt, %d CHECKs reporting problems, %d VACUUMed files CHECK faults, %d other errors %s, %d silently different %s, %d crashes, %d hangs, %d over the memory bound",
		r.Rounds, r.Commands, r.Same, r.Corrupt, r.Found, r.Copied, total(r.Errors), counts(r.Errors), total(r.Silent), counts(r.Silent),
		len(r.Crashes), len(r.Hangs), len(r.OverMem))
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// counts prints m as {key: n, ...}, largest first.
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// flipTables are the reference database's tables, one per kind, and a
// word each holds.
var flipTables = []struct{ name, word string }{
	{"w2v", ""}, // trained: the word is the corpus's most frequent
	{"imp", "v35"},
	{"half", "v5"},
	{"f16", "v9"},
	{"tok", "v2"},
}

// flipStatements are run on every damaged file, each in its own command on
// its own copy of the file; {t} is a table, {w} a word of it, {f} the
// file to vacuum into.
var flipStatements = []string{
	"SELECT COUNT(*) FROM {t}",
	"SELECT id, word, count, vector FROM {t}", // every row, so that flipped vector bytes show
	"SELECT NEAREST('{w}', 5) FROM {t}",
	"SELECT VECTOR('{w}') FROM {t}",
	"CHECK DATABASE",
	"VACUUM INTO '{f}'", // then CHECK and a count on the copy
	"VACUUM",            // then CHECK and a count on the compacted file
}

// statement fills in a statement of flipStatements.
func statement(s, table, word, file string) string {
	return strings.NewReplacer("{t}", table, "{w}", word, "{f}", file).Replace(s)
}

// RunFlip builds a database of every table kind in cfg.Dir and, each
// round, flips one byte of a copy and runs flipStatements on it. It
// returns an error only when it cannot run; crashes, hangs and memory
// bound hits are in the report (see FlipReport.Failed).
func RunFlip(ctx context.Context, cfg FlipConfig) (FlipReport, error) {
	rep := FlipReport{Errors: map[string]int{}, Silent: map[string]int{}}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MemoryLimit == 0 {
		cfg.MemoryLimit = 4 << 30
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 14))
	ref := filepath.Join(cfg.Dir, "reference.db")
	words, err := buildReference(ctx, cfg.Dir, ref, rng)
	if err != nil {
		return rep, fmt.Errorf("building the reference database: %w", err)
	}
	src, err := os.ReadFile(ref)
	if err != nil {
		return rep, err
	}
	lay, err := decodeLayout(src)
	if err != nil {
		return rep, err
	}
	f := &flipper{cfg: cfg, dir: cfg.Dir, want: map[string]string{}}
	for i, t := range flipTables {
		for _, s := range flipStatements {
			sql := statement(s, t.name, words[i], f.vacuumPath())
			res := f.run(ctx, src, sql, t.name)
			if res.class != "ok" {
				return rep, fmt.Errorf("on the undamaged file, %s: %s: %s", sql, res.class, res.out)
			}
			f.want[t.name+"\x00"+sql] = res.out
			if sql == "CHECK DATABASE" {
				f.checkOK = res.out
			}
		}
	}
	for round := 0; round < cfg.Rounds; round++ {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Rounds++
		off, kind := lay.pick(rng)
		damaged := bytes.Clone(src)
		damaged[off] ^= byte(1 + rng.IntN(255))
		t := flipTables[round%len(flipTables)]
		for _, s := range flipStatements {
			sql := statement(s, t.name, words[round%len(flipTables)], f.vacuumPath())
			res := f.run(ctx, damaged, sql, t.name)
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			rep.Commands++
			f.count(&rep, res, round, off, kind, t.name, sql)
		}
		cfg.Log("round %d: byte %d (%s) flipped", round, off, kind)
	}
	return rep, nil
}

// count adds one command's outcome to rep.
func (f *flipper) count(rep *FlipReport, res result, round, off int, kind, table, sql string) {
	where := fmt.Sprintf("round %d, byte %d (%s), %s", round, off, kind, sql)
	want := f.want[table+"\x00"+sql]
	switch res.class {
	case "ok":
		switch {
		case res.out == want:
			rep.Same++
		case sql == "CHECK DATABASE":
			rep.Found++
		default:
			rep.Silent[kind]++
			rep.Answers = append(rep.Answers, fmt.Sprintf("%s: a different answer:\n%s\nwant:\n%s", where, firstLines(res.out, 12), firstLines(want, 12)))
			f.cfg.Log("%s: a different answer:\n%s\nwant:\n%s", where, res.out, want)
		}
	case "corrupt":
		rep.Corrupt++
	case "copied":
		rep.Copied++
	case "error":
		rep.Errors[errorKind(res.out)]++
		f.cfg.Log("%s: %s", where, firstLines(res.out, 3))
	case "crash":
		rep.Crashes = append(rep.Crashes, where+":\n"+firstLines(res.out, 12))
	case "hang":
		rep.Hangs = append(rep.Hangs, where)
	case "memory":
		rep.OverMem = append(rep.OverMem, where+":\n"+firstLines(res.out, 12))
	}
}

var digits = regexp.MustCompile(`[0-9]+`)

// errorKind names an error by its message's last clause, numbers and
// quoted names left out, so that like errors count together.
func errorKind(out string) string {
	line := strings.TrimSpace(firstLines(out, 1))
	if i := strings.LastIndex(line, ": "); i >= 0 && i+2 < len(line) {
		line = line[i+2:]
	}
	line = digits.ReplaceAllString(line, "N")
	if len(line) > 60 {
		line = line[:60]
	}
	return line
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// flipper runs commands on copies of damaged files.
type flipper struct {
	cfg     FlipConfig
	dir     string
	want    map[string]string // the undamaged file's answers, by table and statement
	checkOK string            // CHECK DATABASE's answer on a sound file
}

func (f *flipper) vacuumPath() string { return filepath.Join(f.dir, "vacuumed.db") }

// result is the outcome of one statement: its class ("ok", "corrupt",
// "error", "crash", "hang", "memory") and its output.
type result struct {
	class, out string
}

// run writes file to a scratch copy and runs sql on it. VACUUM and VACUUM
// INTO are followed by commands that check the result and count a table's
// rows:
// its output is that command's, or if CHECK reports problems on the copy,
// class "copied" and CHECK's output.
func (f *flipper) run(ctx context.Context, file []byte, sql, table string) result {
	path := filepath.Join(f.dir, "damaged.db")
	os.Remove(f.vacuumPath())
	os.Remove(f.vacuumPath() + ".tmp")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		return result{"error", err.Error()}
	}
	res := f.command(ctx, path, sql)
	if res.class != "ok" || !strings.HasPrefix(sql, "VACUUM") {
		return res
	}
	if strings.HasPrefix(sql, "VACUUM INTO") {
		path = f.vacuumPath()
	}
	res = f.command(ctx, path, "CHECK DATABASE")
	if res.class == "ok" && f.checkOK != "" && res.out != f.checkOK {
		return result{"copied", res.out}
	}
	if res.class != "ok" {
		return res
	}
	return f.command(ctx, path, "SELECT COUNT(*) FROM "+table)
}

// command runs `embeddb FILE SQL` under the time and memory bounds.
func (f *flipper) command(ctx context.Context, path, sql string) result {
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "prlimit", fmt.Sprintf("--as=%d", f.cfg.MemoryLimit), "--",
		f.cfg.Binary, path, sql)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return result{classify(ctx, err, out.String()), out.String()}
}

// What the Go runtime prints when a process dies: at the start of a line,
// so that a message quoting a recovered panic ("bbolt: panic: ...") in a
// table is not taken for one.
var (
	outOfMemory = regexp.MustCompile(`(?m)^(fatal error: out of memory|runtime: out of memory)|cannot allocate memory`)
	goCrash     = regexp.MustCompile(`(?m)^(panic: |fatal error: |goroutine \d+ |\[signal )`)
)

// classify tells what a command's exit and output mean.
func classify(ctx context.Context, err error, out string) string {
	switch {
	case ctx.Err() != nil:
		return "hang"
	case outOfMemory.MatchString(out):
		return "memory"
	case goCrash.MatchString(out):
		return "crash"
	case err == nil:
		return "ok"
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return "crash" // it could not even run
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return "crash"
	}
	// The command may print the sentinel without its package prefix.
	if strings.Contains(out, strings.TrimPrefix(db.ErrCorrupt.Error(), "db: ")) {
		return "corrupt"
	}
	return "error"
}

// buildReference writes a database of every table kind (flipTables) at
// path, in-process, and returns a word of each table. Two empty commits at
// the end make both meta pages describe the same tables, so that a damaged
// meta, which bbolt passes over for the other, changes no answer.
func buildReference(ctx context.Context, dir, path string, rng *rand.Rand) ([]string, error) {
	in, err := makeFlipInputs(dir, rng)
	if err != nil {
		return nil, err
	}
	d, err := db.Open(path, nil)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	for _, sql := range []string{
		fmt.Sprintf("TRAIN w2v FROM '%s' WITH (vector_size = 16, min_count = 1, workers = 1, seed = 1, epochs = 1)", in.corpus),
		fmt.Sprintf("IMPORT imp FROM '%s'", in.vectors),
		"CREATE INDEX ON imp USING hnsw WITH (m = 8, ef_construction = 32)",
		fmt.Sprintf("IMPORT half FROM '%s' WITH (limit = 3000, type = 'bfloat16')", in.vectors),
		fmt.Sprintf("IMPORT f16 FROM '%s' WITH (limit = 1000, type = 'float16')", in.vectors),
		fmt.Sprintf("IMPORT tok FROM '%s' WITH (limit = 4, tokenizer = '%s')", in.vectors, in.tokenizer),
		fmt.Sprintf("IMPORT gone FROM '%s' WITH (limit = 2000)", in.vectors),
		"DROP TABLE gone", // its pages are free
		// Deleting every row of a chunk makes NEAREST fail on the sound
		// file (forEachLiveChunk reads the emptied row chunk as bad), so
		// these leave some in every chunk.
		"DELETE FROM imp WHERE word LIKE '%7'",
		"DELETE FROM half WHERE word LIKE '%3'",
	} {
		if _, err := d.Exec(ctx, sql); err != nil {
			return nil, fmt.Errorf("%s: %w", sql, err)
		}
	}
	for range 2 {
		if err := d.Update(ctx, func(*db.Tx) error { return nil }); err != nil {
			return nil, err
		}
	}
	words := make([]string, len(flipTables))
	for i, t := range flipTables {
		words[i] = t.word
	}
	words[0] = in.vocab[0]
	return words, nil
}

// makeFlipInputs writes a small corpus (its first word the most frequent),
// 6000 vectors of 32 dimensions and a tiny byte-level BPE tokenizer.
func makeFlipInputs(dir string, rng *rand.Rand) (*flipInputs, error) {
	in := &flipInputs{corpus: filepath.Join(dir, "flip-corpus.txt"), vectors: filepath.Join(dir, "flip-vectors.txt"),
		tokenizer: filepath.Join(dir, "flip-tokenizer.json")}
	for i := range 300 { // distinct words of letters only, which the trainer keeps whole
		in.vocab = append(in.vocab, fmt.Sprintf("%c%c%c%c", 'a'+rng.IntN(26), 'a'+i/26%26, 'a'+i%26, 'a'+rng.IntN(26)))
	}
	var sb strings.Builder
	for range 2000 {
		for i := range 10 {
			k := int(float64(len(in.vocab)) * rng.Float64() * rng.Float64())
			if i == 0 {
				k = 0
			}
			sb.WriteString(in.vocab[k] + " ")
		}
		sb.WriteByte('\n')
	}
	if err := os.WriteFile(in.corpus, []byte(sb.String()), 0o644); err != nil {
		return nil, err
	}
	sb.Reset()
	const rows, dim = 6000, 32
	fmt.Fprintf(&sb, "%d %d\n", rows, dim)
	for r := range rows {
		fmt.Fprintf(&sb, "v%d", r)
		for range dim {
			fmt.Fprintf(&sb, " %.5f", rng.Float64()*2-1)
		}
		sb.WriteByte('\n')
	}
	if err := os.WriteFile(in.vectors, []byte(sb.String()), 0o644); err != nil {
		return nil, err
	}
	tok := `{"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true},
"decoder": {"type": "ByteLevel"},
"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "c": 3}, "merges": ["a b"]}}`
	return in, os.WriteFile(in.tokenizer, []byte(tok), 0o644)
}

type flipInputs struct {
	corpus, vectors, tokenizer string
	vocab                      []string
}

// layout is the kind of every page of the reference file, decoded from
// bbolt's format: which bytes a flip lands in.
type layout struct {
	pageSize int
	size     int
	used     int              // bytes below the high-water mark
	kinds    []string         // by page: meta, freelist, branch, leaf, overflow, free
	heads    []int            // by page: bytes of header and element headers
	byKind   map[string][]int // pages of each structural kind
}

// decodeLayout reads the metas, the freelist and every page header.
func decodeLayout(b []byte) (*layout, error) {
	le := binary.LittleEndian
	if len(b) < 4096 {
		return nil, errors.New("the reference file is too small")
	}
	ps := int(le.Uint32(b[16+8:]))
	meta := func(p int) (txid, freelist, pgid uint64) {
		m := b[p*ps+16:]
		return le.Uint64(m[48:]), le.Uint64(m[32:]), le.Uint64(m[40:])
	}
	tx0, fl, pgid := meta(0)
	if tx1, fl1, pgid1 := meta(1); tx1 > tx0 {
		fl, pgid = fl1, pgid1
	}
	l := &layout{pageSize: ps, size: len(b), used: min(len(b), int(pgid)*ps), byKind: map[string][]int{}}
	n := len(b) / ps
	l.kinds, l.heads = make([]string, n), make([]int, n)
	for p := 0; p < n; {
		if uint64(p) >= pgid {
			l.kinds[p] = "past pgid"
			p++
			continue
		}
		h := b[p*ps:]
		flags, count, over := le.Uint16(h[8:]), int(le.Uint16(h[10:])), int(le.Uint32(h[12:]))
		kind := map[uint16]string{1: "branch", 2: "leaf", 4: "meta", 0x10: "freelist"}[flags]
		if kind == "" {
			kind, over = "free", 0
		}
		l.kinds[p], l.heads[p] = kind, min(16+16*count, ps)
		for k := 1; k <= over && p+k < n; k++ {
			l.kinds[p+k] = "overflow"
		}
		p += over + 1
	}
	// Free pages keep the header of what they held: the freelist says.
	fh := b[int(fl)*ps:]
	first, count := 0, int(le.Uint16(fh[10:]))
	if count == 0xFFFF {
		first, count = 1, int(le.Uint64(fh[16:]))
	}
	for i := 0; i < count; i++ {
		if id := int(le.Uint64(fh[16+8*(first+i):])); id < n {
			l.kinds[id] = "free"
		}
	}
	for p, k := range l.kinds {
		l.byKind[k] = append(l.byKind[k], p)
	}
	return l, nil
}

// pick chooses a byte to flip and names its kind. A tenth of the rounds
// pick uniformly over the file, whose tail past the high-water mark bbolt
// grew but does not use; two fifths pick over the pages in use (mostly
// vector bytes); the other half pick a meta, freelist, branch or leaf page,
// mostly its header and element headers, so that the structure is hit.
func (l *layout) pick(rng *rand.Rand) (int, string) {
	switch r := rng.IntN(10); {
	case r == 0:
		off := rng.IntN(l.size)
		return off, l.kindAt(off)
	case r < 5:
		off := rng.IntN(l.used)
		return off, l.kindAt(off)
	}
	kinds := []string{"meta", "freelist", "branch", "leaf", "leaf"}
	pages := l.byKind[kinds[rng.IntN(len(kinds))]]
	if len(pages) == 0 {
		pages = l.byKind["leaf"]
	}
	p := pages[rng.IntN(len(pages))]
	in := l.pageSize
	if rng.IntN(10) < 7 {
		in = l.heads[p]
		if l.kinds[p] == "meta" {
			in = 16 + 64
		}
	}
	off := p*l.pageSize + rng.IntN(in)
	return off, l.kindAt(off)
}

// kindAt names the kind of byte off: the page's kind, and for branch and
// leaf pages whether it lies in the headers or in the keys and values.
func (l *layout) kindAt(off int) string {
	p := off / l.pageSize
	if p >= len(l.kinds) {
		return "past the last page"
	}
	k := l.kinds[p]
	if k == "branch" || k == "leaf" {
		if off%l.pageSize < l.heads[p] {
			return k + " headers"
		}
		return k + " data"
	}
	return k
}
