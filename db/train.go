package db

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/embeddb/embeddb/internal/osfile"
	"github.com/embeddb/embeddb/query"
	"github.com/embeddb/embeddb/trainer"
	bolt "go.etcd.io/bbolt"
)

// train runs TRAIN t FROM 'file', ... WITH (gensim parameters). Into an
// existing table it is an error unless update = true, which continues
// training that table (gensim's build_vocab(update=True) + train). The
// table appears, or changes, only when training has finished: a failed or
// cancelled TRAIN leaves the database as it was.
func (e *env) train(s *query.Train) (*Rows, error) {
	opts := trainer.DefaultOptions()
	var update bool
	var updateNode *query.Option
	given := map[string]bool{}
	optNode := map[string]*query.Option{}
	type setting struct {
		o *query.Option
		v any
	}
	var settings []setting
	for i := range s.Options {
		o := &s.Options[i]
		if given[o.Name] {
			return nil, errAt(o, nil, "option %s given twice", quote(o.Name))
		}
		given[o.Name] = true
		optNode[o.Name] = o
		v, err := e.optionValue(*o)
		if err != nil {
			return nil, err
		}
		if o.Name == "update" {
			b, err := parseBool(v)
			if err != nil {
				return nil, errAt(o, nil, "update must be true or false, found %s", shown(v))
			}
			update, updateNode = b, o
			continue
		}
		if err := opts.Set(o.Name, v); err != nil {
			return nil, errAt(o, err, "%s", trimPrefix(err.Error(), "trainer: "))
		}
		settings = append(settings, setting{o, v})
	}
	files := make([]string, len(s.Files))
	for i, f := range s.Files {
		path, err := e.stringArg(f, "a training file")
		if err != nil {
			return nil, err
		}
		if err := checkCorpusFile(path); err != nil {
			return nil, errAt(f, err, "%s", err.Error())
		}
		files[i] = path
	}

	// What exists now decides between a new table and continued training.
	var old *table
	var oldWords []string
	var oldCounts []int64
	var oldVecs []float32
	var model *trainer.Model
	err := e.d.view(e.ctx, func(tx *bolt.Tx) error {
		t, err := openTable(tx, s.Table.Name)
		if errors.Is(err, ErrNoTable) {
			if update {
				return errAt(updateNode, ErrNoTable, "cannot update table %s: it does not exist", quote(s.Table.Name))
			}
			return nil
		}
		if err != nil {
			return at(s.Table, err)
		}
		if !update {
			return errAt(s.Table, ErrTableExists, "table %s already exists (TRAIN ... WITH (update = true) continues training it)", quote(s.Table.Name))
		}
		old = t
		state, ok := t.openBlob(blobState)
		if !ok {
			return errAt(updateNode, nil, "table %s cannot continue training: it was not trained by embeddb", quote(s.Table.Name))
		}
		if int64(t.meta.NextID) != t.meta.Rows {
			return errAt(updateNode, nil, "table %s cannot continue training: rows were deleted or added since it was trained", quote(s.Table.Name))
		}
		oldWords = make([]string, 0, t.meta.Rows)
		oldCounts = make([]int64, 0, t.meta.Rows)
		oldVecs = make([]float32, 0, int(t.meta.Rows)*t.meta.Dim)
		err = t.forEachRow(0, true, func(r Row) error {
			oldWords = append(oldWords, r.Word)
			oldCounts = append(oldCounts, r.Count)
			oldVecs = append(oldVecs, r.Vector...)
			return nil
		})
		if err != nil {
			return err
		}
		model, err = trainer.Restore(oldWords, oldCounts, oldVecs, state)
		if err != nil {
			return at(updateNode, err)
		}
		return at(updateNode, restoreSubwords(t, model))
	})
	if err != nil {
		return nil, err
	}
	if model != nil {
		// Continued training keeps the table's parameters (gensim reuses the
		// model's), except those the statement gives.
		opts = model.Options
		for _, st := range settings {
			if err := opts.Set(st.o.Name, st.v); err != nil {
				return nil, errAt(st.o, err, "%s", trimPrefix(err.Error(), "trainer: "))
			}
		}
	}

	prog := newThrottle(e.ctx)
	opts.Progress = func(p trainer.Progress) {
		pr := Progress{Op: "train", Table: s.Table.Name, Phase: p.Phase, Done: p.Words, Total: p.TotalWords,
			Unit: "words", Rate: p.WordsPerSec, ETA: p.ETA}
		if p.Phase == "training" {
			pr.Detail = fmt.Sprintf("epoch %d/%d, alpha %.4g", p.Epoch, p.Epochs, p.Alpha)
		}
		prog.report(pr, false)
	}
	opts.MemoryLimit = e.d.opts.MemoryLimit
	start := time.Now()
	corpus := trainer.Files(files...)
	if model == nil {
		model, err = trainer.Train(e.ctx, corpus, opts)
	} else {
		err = model.Update(e.ctx, corpus, opts)
	}
	if errors.Is(err, trainer.ErrEmptyVocabulary) {
		return nil, errAt(s, err, "no word occurs at least min_count = %d times in the training text", opts.MinCount)
	}
	if tl := (*trainer.TooLargeError)(nil); errors.As(err, &tl) {
		advice := "raise min_count, set max_final_vocab or lower vector_size, or raise the limit"
		if tl.Phase == "vocabulary" {
			advice = "set max_vocab_size (rare words are then pruned while counting, as gensim does) or raise the limit"
		}
		return nil, at(s, errTooLarge("TRAIN "+s.Table.Name+": "+tl.What, tl.Need, tl.Limit, advice))
	}
	if err != nil {
		if errors.Is(err, trainer.ErrInvalidOption) {
			var oe *trainer.OptionError
			if errors.As(err, &oe) && optNode[oe.Param] != nil {
				return nil, errAt(optNode[oe.Param], err, "%s", trimPrefix(err.Error(), "trainer: "))
			}
		}
		return nil, at(s, err)
	}
	if len(model.Words) == 0 {
		return nil, errAt(s, nil, "no word occurs at least min_count = %d times in the training text", opts.MinCount)
	}

	prov := map[string]any{"source": "train", "files": files}
	if old != nil {
		if prev, ok := old.meta.Provenance["files"].([]any); ok {
			all := make([]any, 0, len(prev)+len(files))
			all = append(all, prev...)
			for _, f := range files {
				all = append(all, f)
			}
			prov["files"] = all
		}
		prov["updates"] = toInt64(old.meta.Provenance["updates"]) + 1
	}
	for k, v := range model.Options.Params() {
		prov[k] = v
	}
	prov["corpus_words"] = model.Stats.RawWords
	prov["sentences"] = model.Stats.Sentences
	prov["words_per_sec"] = int64(model.Stats.WordsPerSec)
	spec := TableSpec{Dim: model.Dim, Kind: "trained", Provenance: prov}
	if old != nil {
		spec.Metric = old.meta.Metric
	}
	w, err := e.d.BulkLoad(e.ctx, s.Table.Name, spec, &BulkOptions{Replace: old != nil})
	if err != nil {
		return nil, at(s.Table, err)
	}
	defer w.Abort()
	const batch = 8192
	for i := 0; i < len(model.Words); i += batch {
		j := min(i+batch, len(model.Words))
		if err := w.Append(model.Words[i:j], model.Counts[i:j], model.Vectors[i*model.Dim:j*model.Dim]); err != nil {
			return nil, at(s, err)
		}
	}
	if err := w.WriteBlob(blobState, model.WriteState); err != nil {
		return nil, at(s, err)
	}
	if model.Options.Kind == trainer.FastText {
		if err := writeSubwords(w, model, true); err != nil {
			return nil, at(s, err)
		}
	}
	if old != nil && old.meta.Index != nil {
		// The vectors all moved: rebuild the index with the same parameters.
		if err := e.rebuildIndexInto(w, s.Table.Name, old.meta.Index, model.Vectors); err != nil {
			return nil, at(s, err)
		}
	}
	if _, err := w.Commit(); err != nil {
		return nil, at(s, err)
	}
	el := time.Since(start).Seconds()
	prog.report(Progress{Op: "train", Table: s.Table.Name, Phase: "done", Done: model.Stats.RawWords * int64(model.Options.Epochs),
		Total: model.Stats.RawWords * int64(model.Options.Epochs), Unit: "words", Rate: model.Stats.WordsPerSec}, true)
	return newRows([]string{"table", "words", "vocabulary", "vector_size", "seconds", "words/s"}, [][]any{{
		s.Table.Name, model.Stats.RawWords, int64(len(model.Words)), int64(model.Dim), roundTo(el, 3), roundTo(model.Stats.WordsPerSec, 0),
	}}), nil
}

func trimPrefix(s, p string) string {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case int64:
		return x
	case int:
		return int64(x)
	}
	return 0
}

func roundTo(f float64, digits int) float64 {
	p := 1.0
	for i := 0; i < digits; i++ {
		p *= 10
	}
	return float64(int64(f*p+0.5)) / p
}

var _ = io.EOF

// checkCorpusFile refuses a training file that cannot be read, or read
// more than once, before TRAIN takes the write lock, so the error points
// at the file in the statement (the trainer would find it later, with no
// position). A FIFO is refused without opening it for reading, which would
// block until a writer came.
func checkCorpusFile(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cannot read training file: %w", err)
	}
	if st.IsDir() {
		return fmt.Errorf("training file %s is a directory", quote(path))
	}
	f, err := osfile.OpenRegular(path)
	if err != nil {
		return osfile.WithReason(err, "a corpus is read once for the vocabulary and again for every epoch, so it must be a regular file")
	}
	return f.Close()
}
