package exec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/embeddb/embeddb/db/ftbin"
	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/internal/atomicfile"
	"github.com/embeddb/embeddb/internal/osfile"
	"github.com/embeddb/embeddb/query"
	"github.com/embeddb/embeddb/trainer"
)

// IMPORT t FROM 'model.bin' WITH (format = 'fasttext') and EXPORT t TO 'model.bin' WITH
// (format = 'fasttext'): Facebook fastText's binary models (package ftbin), subword
// buckets included, as gensim's load_facebook_model and save_facebook_model read and write
// them. format = 'fasttext' otherwise means the .vec text format, as it always has: IMPORT
// reads a .bin when the file starts with fastText's magic number, EXPORT writes one when the
// path ends in .bin or binary = true.

// formatIsFastText reports whether opts say format = 'fasttext' (which vecfile reads as the
// .vec text format).
func (e *env) formatIsFastText(opts []query.Option) bool {
	for _, o := range opts {
		if o.Name == "format" {
			v, err := e.eval(o.Value)
			s, ok := v.(string)
			return err == nil && ok && strings.EqualFold(strings.TrimSpace(s), "fasttext")
		}
	}
	return false
}

// eval evaluates a constant expression of a statement.
func (e *env) eval(x query.Expr) (any, error) { return (&scope{e: e}).eval(x) }

// importFastTextBin runs the IMPORT of a fastText .bin; handled is false when the statement
// is not one.
func (e *env) importFastTextBin(s *query.Import) (rows *Rows, handled bool, err error) {
	if !e.formatIsFastText(s.Options) {
		return nil, false, nil
	}
	path, err := e.stringArg(s.File, "the file to import")
	if err != nil {
		return nil, true, err
	}
	f, err := osfile.OpenRegular(path)
	if err != nil {
		return nil, false, nil // the ordinary IMPORT reports it
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil || binary.LittleEndian.Uint32(magic[:]) != ftbin.Magic {
		return nil, false, nil // a .vec file
	}
	for _, o := range s.Options {
		if o.Name != "format" && o.Name != "replace" {
			return nil, true, plan.ErrAt(&o, nil, "IMPORT of a fastText .bin takes only format and replace")
		}
	}
	replace := false
	if vals, _, err := e.options(s.Options); err == nil {
		if v, ok := vals["replace"]; ok {
			if replace, err = parseBool(v); err != nil {
				return nil, true, plan.ErrAt(s, nil, "replace must be true or false")
			}
		}
	}
	st, err := f.Stat()
	if err != nil {
		return nil, true, fileError(s.File, path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, true, fileError(s.File, path, err)
	}
	start := time.Now()
	bin, err := ftbin.Read(f, st.Size())
	if err != nil {
		return nil, true, plan.ErrAt(s.File, err, "%s: %v", path, trimPrefix(err.Error(), "ftbin: "))
	}
	o, err := optionsFromBin(bin)
	if err != nil {
		return nil, true, plan.ErrAt(s.File, err, "%s: %v", path, trimPrefix(err.Error(), "trainer: "))
	}
	prov := map[string]any{"source": "import", "file": path, "format": "fasttext-bin"}
	for k, v := range o.Params() {
		prov[k] = v
	}
	prov["corpus_words"] = bin.NTokens
	if err := e.storeBin(s.Table, bin, o, store.TableSpec{Dim: o.VectorSize, Kind: "imported", Provenance: prov}, replace); err != nil {
		return nil, true, err
	}
	return newRows([]string{"table", "rows", "dim", "type", "format", "skipped", "seconds"}, [][]any{{
		s.Table.Name, int64(len(bin.Words)), int64(o.VectorSize), "float32", "fasttext-bin", int64(0),
		roundTo(time.Since(start).Seconds(), 3)}}), true, nil
}

// optionsFromBin reads a .bin's arguments as gensim's load_facebook_model does, refusing
// what it cannot hold.
func optionsFromBin(b *ftbin.Model) (trainer.Options, error) {
	a := b.Args
	o := trainer.DefaultOptions()
	o.Kind = trainer.FastText
	o.VectorSize, o.Window, o.Epochs, o.MinCount = int(a.Dim), max(int(a.WS), 1), max(int(a.Epoch), 1), int(a.MinCount)
	o.Bucket, o.MinN, o.MaxN, o.Sample, o.WordNgrams = int(a.Bucket), int(a.MinN), int(a.MaxN), a.T, 1
	o.SkipGram = a.Model == ftbin.ModelSG
	switch a.Loss {
	case ftbin.LossHS:
		o.HS, o.Negative = true, 0
	case ftbin.LossNS:
		o.HS, o.Negative = false, int(a.Neg)
	default:
		return o, fmt.Errorf("loss %d: only negative sampling (2) and hierarchical softmax (1) models are supported", a.Loss)
	}
	if a.Model != ftbin.ModelSG && a.Model != ftbin.ModelCBOW {
		return o, fmt.Errorf("model %d: only skipgram (2) and cbow (1) models are supported", a.Model)
	}
	return o, o.Validate()
}

// modelFromBin turns a .bin's content into a FastText model with options o (optionsFromBin):
// it makes every word's vector from its own row and its n-grams' (gensim's adjust_vectors).
func modelFromBin(b *ftbin.Model, o trainer.Options) (*trainer.Model, error) {
	n, dim := len(b.Words), int(b.Args.Dim)
	var out []float32
	if b.OutputRows == n {
		out = b.Output
	}
	return trainer.NewFastText(b.Words, b.Counts, b.Input[:n*dim:n*dim], b.Input[n*dim:], out, o)
}

// storeBin writes a .bin's model as table tn, atomically: its rows (the words' vectors), its
// training state and its n-gram matrix. The n-gram matrix is the file's, so it is written
// while the words' vectors are made from it: the writing (copies and the file's writes) and
// the making (random reads of the matrix) overlap on two cores, and the load's wall time is
// about the larger of the two rather than their sum.
func (e *env) storeBin(tn *query.TableName, bin *ftbin.Model, o trainer.Options, spec store.TableSpec, replace bool) error {
	w, err := e.bulkLoadModel(tn, spec, replace)
	if err != nil {
		return err
	}
	defer w.Abort()
	type made struct {
		m   *trainer.Model
		err error
	}
	done := make(chan made, 1)
	go func() {
		m, err := modelFromBin(bin, o)
		done <- made{m, err}
	}()
	n, dim := len(bin.Words), int(bin.Args.Dim)
	werr := store.WriteNgrams(w, o.MinN, o.MaxN, o.Bucket, dim, bin.Input[n*dim:])
	r := <-done
	if werr != nil {
		return plan.At(tn, werr)
	}
	if r.err != nil {
		return plan.At(tn, r.err)
	}
	return writeModelRows(tn, w, r.m)
}

// bulkLoadModel starts the bulk load of a model's table tn, refusing an existing table
// unless replace.
func (e *env) bulkLoadModel(tn *query.TableName, spec store.TableSpec, replace bool) (*store.BulkWriter, error) {
	exists := false
	err := e.st.View(e.ctx, func(tx *store.Tx) error {
		_, err := store.OpenTable(tx, tn.Name)
		exists = err == nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	if exists && !replace {
		return nil, plan.ErrAt(tn, store.ErrTableExists, "table %s already exists (IMPORT ... WITH (replace = true) replaces it)", store.Quote(tn.Name))
	}
	w, err := e.st.BulkLoad(e.ctx, tn.Name, spec, &store.BulkOptions{Replace: replace})
	if err != nil {
		return nil, plan.At(tn, err)
	}
	return w, nil
}

// writeModelRows appends m's words as w's rows, stores its training state (when it can
// continue training) and commits w.
func writeModelRows(tn *query.TableName, w *store.BulkWriter, m *trainer.Model) error {
	const batch = 8192
	for i := 0; i < len(m.Words); i += batch {
		j := min(i+batch, len(m.Words))
		if err := w.Append(m.Words[i:j], m.Counts[i:j], m.Vectors[i*m.Dim:j*m.Dim]); err != nil {
			return plan.At(tn, err)
		}
	}
	if m.Trainable() {
		if err := w.WriteBlob(store.BlobState, m.WriteState); err != nil {
			return plan.At(tn, err)
		}
	}
	_, err := w.Commit()
	return plan.At(tn, err)
}

// exportFastTextBin runs the EXPORT of a FastText table to a .bin; handled is false when the
// statement is not one.
func (e *env) exportFastTextBin(s *query.Export) (rows *Rows, handled bool, err error) {
	if !e.formatIsFastText(s.Options) {
		return nil, false, nil
	}
	path, err := e.stringArg(s.File, "the file to export to")
	if err != nil {
		return nil, true, err
	}
	vals, nodes, err := e.options(s.Options)
	if err != nil {
		return nil, true, err
	}
	binaryOpt, overwrite := strings.HasSuffix(strings.ToLower(path), ".bin"), false
	for name, v := range vals {
		o := nodes[name]
		switch name {
		case "format":
		case "binary", "overwrite":
			b, err := parseBool(v)
			if err != nil {
				return nil, true, plan.ErrAt(&o, nil, "%s must be true or false, found %s", name, shown(v))
			}
			if name == "binary" {
				binaryOpt = b
			} else {
				overwrite = b
			}
		default:
			return nil, true, plan.ErrAt(&o, nil, "EXPORT of a fastText .bin takes only format, binary and overwrite")
		}
	}
	if !binaryOpt {
		return nil, false, nil // the .vec text format
	}
	start := time.Now()
	var bin *ftbin.Model
	err = e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		bin, err = binFromTable(t)
		return plan.At(s.Table, err)
	})
	if err != nil {
		return nil, true, err
	}
	if err := e.refuseOpenDB(s.File, path); err != nil {
		return nil, true, err
	}
	if err := writeFileAtomic(path, overwrite, func(w io.Writer) error { return ftbin.Write(w, bin) }); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, true, plan.ErrAt(s.File, err, "%s exists; EXPORT ... WITH (overwrite = true) replaces it", path)
		}
		return nil, true, fileError(s.File, path, err)
	}
	return newRows([]string{"table", "file", "rows", "format", "seconds"}, [][]any{{
		s.Table.Name, path, int64(len(bin.Words)), "fasttext-bin", roundTo(time.Since(start).Seconds(), 3)}}), true, nil
}

// binFromTable gathers what a .bin holds from a FastText table: its words and counts, the
// words' own input rows and the output layer (from the training state) and the n-gram rows.
func binFromTable(t *store.Table) (*ftbin.Model, error) {
	ng, ok, err := t.Ngrams()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("table %s is not a FastText table: a fastText .bin needs n-gram vectors (EXPORT ... WITH (format = 'word2vec') writes its vectors)", store.Quote(t.Name()))
	}
	state, ok := t.OpenBlob(store.BlobState)
	if !ok {
		return nil, fmt.Errorf("table %s has no training state: a fastText .bin needs the words' own input rows and the output layer", store.Quote(t.Name()))
	}
	var words []string
	var counts []int64
	var vecs []float32
	err = t.ForEachRow(0, true, func(r store.Row) error {
		words = append(words, r.Word)
		counts = append(counts, r.Count)
		vecs = append(vecs, r.Vector...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	m, err := trainer.Restore(words, counts, vecs, state)
	if err != nil {
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if err := m.SetSubwords(ng, nil); err != nil {
		return nil, err
	}
	o := m.Options
	if m.VocabVectors() == nil {
		return nil, fmt.Errorf("%w: table %s: FastText state without the words' input rows", store.ErrCorrupt, store.Quote(t.Name()))
	}
	input := make([]float32, 0, len(m.VocabVectors())+len(ng))
	input = append(append(input, m.VocabVectors()...), ng...)
	a := ftbin.Args{Dim: int32(m.Dim), WS: int32(o.Window), Epoch: int32(o.Epochs), MinCount: int32(o.MinCount),
		Neg: int32(o.Negative), WordNgrams: 1, Loss: ftbin.LossNS, Model: ftbin.ModelCBOW, Bucket: int32(o.Bucket),
		MinN: int32(o.MinN), MaxN: int32(o.MaxN), LRUpdateRate: 100, T: o.Sample}
	if o.HS && o.Negative == 0 {
		a.Loss = ftbin.LossHS
	}
	if o.SkipGram {
		a.Model = ftbin.ModelSG
	}
	var ntokens int64
	for _, c := range counts {
		ntokens += c
	}
	out := m.OutputLayer()
	return &ftbin.Model{Args: a, Words: words, Counts: counts, NTokens: ntokens, Input: input,
		Output: out, OutputRows: len(out) / m.Dim}, nil
}

// writeFileAtomic writes path through a temporary file that appears at path only when
// complete; without overwrite an existing path is an error matching fs.ErrExist.
func writeFileAtomic(path string, overwrite bool, fn func(io.Writer) error) error {
	target, err := atomicfile.Target(path)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(target); err == nil && !overwrite {
		return fmt.Errorf("%s: %w", path, fs.ErrExist)
	}
	f, err := atomicfile.CreateTemp(target, "export")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	if err := atomicfile.Finish(f, 0o644); err != nil {
		return err
	}
	if overwrite {
		return atomicfile.Replace(tmp, target)
	}
	return atomicfile.PlaceNew(tmp, target)
}
