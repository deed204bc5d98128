package exec

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/embeddb/embeddb/db/internal/plan"

	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/internal/osfile"
	"github.com/embeddb/embeddb/query"
	"github.com/embeddb/embeddb/trainer"
)

func init() { handle((*env).train) }

// train runs TRAIN t FROM 'file', ... WITH (gensim parameters). Into an
// existing table it is an error unless update = true, which continues
// training that table (gensim's build_vocab(update=True) + train). The
// table appears, or changes, only when training has finished: a failed or
// cancelled TRAIN leaves the database as it was.
func (e *env) train(s *query.Train) (*Rows, error) {
	a, err := e.bindTrain(s)
	if err != nil {
		return nil, err
	}
	base, err := e.trainBase(s, a)
	if err != nil {
		return nil, err
	}
	if base.model != nil {
		// Continued training keeps the table's parameters (gensim reuses the
		// model's), except those the statement gives.
		a.opts = base.model.Options
		for _, st := range a.given {
			if err := a.opts.Set(st.o.Name, st.v); err != nil {
				return nil, plan.ErrAt(st.o, err, "%s", trimPrefix(err.Error(), "trainer: "))
			}
		}
	}
	prog := newThrottle(e.ctx)
	start := time.Now()
	model, err := e.trainModel(s, a, base.model, prog)
	if err != nil {
		return nil, err
	}
	if err := e.saveTrained(s, a, base.old, model); err != nil {
		return nil, err
	}
	el := time.Since(start).Seconds()
	prog.report(Progress{Op: "train", Table: s.Table.Name, Phase: "done", Done: model.Stats.RawWords * int64(model.Options.Epochs),
		Total: model.Stats.RawWords * int64(model.Options.Epochs), Unit: "words", Rate: model.Stats.WordsPerSec}, true)
	return newRows([]string{"table", "words", "vocabulary", "vector_size", "seconds", "words/s"}, [][]any{{
		s.Table.Name, model.Stats.RawWords, int64(len(model.Words)), int64(model.Dim), roundTo(el, 3), roundTo(model.Stats.WordsPerSec, 0),
	}}), nil
}

// trainArgs is a TRAIN statement bound: its files checked and its options
// evaluated and set, before anything is read or trained.
type trainArgs struct {
	files      []string
	opts       trainer.Options
	update     bool
	updateNode *query.Option
	given      []trainSetting // the options as given, set again over a table's own
	nodes      map[string]*query.Option
}

// trainSetting is one option of TRAIN as the statement gave it.
type trainSetting struct {
	o *query.Option
	v any
}

// bindTrain binds TRAIN's options and files.
func (e *env) bindTrain(s *query.Train) (*trainArgs, error) {
	a := &trainArgs{opts: trainer.DefaultOptions(), nodes: map[string]*query.Option{}}
	for i := range s.Options {
		o := &s.Options[i]
		if a.nodes[o.Name] != nil {
			return nil, plan.ErrAt(o, nil, "option %s given twice", store.Quote(o.Name))
		}
		a.nodes[o.Name] = o
		v, err := e.optionValue(*o)
		if err != nil {
			return nil, err
		}
		if o.Name == "update" {
			b, err := parseBool(v)
			if err != nil {
				return nil, plan.ErrAt(o, nil, "update must be true or false, found %s", shown(v))
			}
			a.update, a.updateNode = b, o
			continue
		}
		if err := a.opts.Set(o.Name, v); err != nil {
			return nil, plan.ErrAt(o, err, "%s", trimPrefix(err.Error(), "trainer: "))
		}
		a.given = append(a.given, trainSetting{o, v})
	}
	a.files = make([]string, len(s.Files))
	for i, f := range s.Files {
		path, err := e.stringArg(f, "a training file")
		if err != nil {
			return nil, err
		}
		if err := checkCorpusFile(path); err != nil {
			return nil, plan.ErrAt(f, err, "%s", err.Error())
		}
		a.files[i] = path
	}
	return a, nil
}

// trainedBase is what TRAIN starts from: nothing, or with update = true the
// table it continues and its model restored.
type trainedBase struct {
	old   *store.Table
	model *trainer.Model
}

// trainBase decides between a new table and continued training, by what
// exists now.
func (e *env) trainBase(s *query.Train, a *trainArgs) (trainedBase, error) {
	var base trainedBase
	name := s.Table.Name
	err := e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := store.OpenTable(tx, name)
		if errors.Is(err, store.ErrNoTable) {
			if a.update {
				return plan.ErrAt(a.updateNode, store.ErrNoTable, "cannot update table %s: it does not exist", store.Quote(name))
			}
			return nil
		}
		if err != nil {
			return plan.At(s.Table, err)
		}
		if !a.update {
			return plan.ErrAt(s.Table, store.ErrTableExists, "table %s already exists (TRAIN ... WITH (update = true) continues training it)", store.Quote(name))
		}
		base.old = t
		if col := t.RequiredColumn(); col != "" {
			err := store.RequiredColumnError(name, col)
			return plan.ErrAt(a.updateNode, err, "%s", trimPrefix(err.Error(), "db: "))
		}
		state, ok := t.OpenBlob(store.BlobState)
		if !ok {
			return plan.ErrAt(a.updateNode, nil, "table %s cannot continue training: it was not trained by embeddb", store.Quote(name))
		}
		if int64(t.NextID()) != t.Rows() {
			return plan.ErrAt(a.updateNode, nil, "table %s cannot continue training: rows were deleted or added since it was trained", store.Quote(name))
		}
		words, counts, vecs, err := trainedRows(t)
		if err != nil {
			return err
		}
		base.model, err = trainer.Restore(words, counts, vecs, state)
		if err != nil {
			return plan.At(a.updateNode, err)
		}
		return plan.At(a.updateNode, store.RestoreSubwords(t, base.model))
	})
	return base, err
}

// trainedRows reads the rows of a trained table, for its model to
// continue training.
func trainedRows(t *store.Table) (words []string, counts []int64, vecs []float32, err error) {
	words = make([]string, 0, t.Rows())
	counts = make([]int64, 0, t.Rows())
	vecs = make([]float32, 0, int(t.Rows())*t.Dim())
	err = t.ForEachRow(0, true, func(r store.Row) error {
		words = append(words, r.Word)
		counts = append(counts, r.Count)
		vecs = append(vecs, r.Vector...)
		return nil
	})
	return words, counts, vecs, err
}

// trainModel trains a new model on the files, or continues model.
func (e *env) trainModel(s *query.Train, a *trainArgs, model *trainer.Model, prog *throttle) (*trainer.Model, error) {
	opts := a.opts
	opts.Progress = func(p trainer.Progress) {
		pr := Progress{Op: "train", Table: s.Table.Name, Phase: p.Phase, Done: p.Words, Total: p.TotalWords,
			Unit: "words", Rate: p.WordsPerSec, ETA: p.ETA}
		if p.Phase == "training" {
			pr.Detail = fmt.Sprintf("epoch %d/%d, alpha %.4g", p.Epoch, p.Epochs, p.Alpha)
		}
		prog.report(pr, false)
	}
	opts.MemoryLimit = e.st.MemoryLimit()
	corpus := trainer.Files(a.files...)
	var err error
	if model == nil {
		model, err = trainer.Train(e.ctx, corpus, opts)
	} else {
		err = model.Update(e.ctx, corpus, opts)
	}
	if err != nil {
		return nil, trainError(s, a, opts, err)
	}
	if len(model.Words) == 0 {
		return nil, plan.ErrAt(s, nil, "no word occurs at least min_count = %d times in the training text", opts.MinCount)
	}
	return model, nil
}

// trainError positions an error of the trainer at the option or the
// statement it is about.
func trainError(s *query.Train, a *trainArgs, opts trainer.Options, err error) error {
	if errors.Is(err, trainer.ErrEmptyVocabulary) {
		return plan.ErrAt(s, err, "no word occurs at least min_count = %d times in the training text", opts.MinCount)
	}
	if tl := (*trainer.TooLargeError)(nil); errors.As(err, &tl) {
		advice := "raise min_count, set max_final_vocab or lower vector_size, or raise the limit"
		if tl.Phase == "vocabulary" {
			advice = "set max_vocab_size (rare words are then pruned while counting, as gensim does) or raise the limit"
		}
		return plan.At(s, store.TooLarge("TRAIN "+s.Table.Name+": "+tl.What, tl.Need, tl.Limit, advice))
	}
	if errors.Is(err, trainer.ErrInvalidOption) {
		var oe *trainer.OptionError
		if errors.As(err, &oe) && a.nodes[oe.Param] != nil {
			return plan.ErrAt(a.nodes[oe.Param], err, "%s", trimPrefix(err.Error(), "trainer: "))
		}
	}
	return plan.At(s, err)
}

// trainedProvenance is what DESCRIBE shows of how a trained table was
// made: its files (all of them, after updates), the parameters and the
// corpus's size.
func trainedProvenance(a *trainArgs, old *store.Table, model *trainer.Model) map[string]any {
	prov := map[string]any{"source": "train", "files": a.files}
	if old != nil {
		if prev, ok := old.Provenance()["files"].([]any); ok {
			all := make([]any, 0, len(prev)+len(a.files))
			all = append(all, prev...)
			for _, f := range a.files {
				all = append(all, f)
			}
			prov["files"] = all
		}
		prov["updates"] = toInt64(old.Provenance()["updates"]) + 1
	}
	for k, v := range model.Options.Params() {
		prov[k] = v
	}
	prov["corpus_words"] = model.Stats.RawWords
	prov["sentences"] = model.Stats.Sentences
	prov["words_per_sec"] = int64(model.Stats.WordsPerSec)
	return prov
}

// saveTrained writes the model as the table, replacing old if there is
// one, with its trainer state and, if old had one, its index rebuilt.
func (e *env) saveTrained(s *query.Train, a *trainArgs, old *store.Table, model *trainer.Model) error {
	spec := store.TableSpec{Dim: model.Dim, Kind: "trained", Provenance: trainedProvenance(a, old, model)}
	if old != nil {
		spec.Metric = old.Metric()
	}
	w, err := e.st.BulkLoad(e.ctx, s.Table.Name, spec, &store.BulkOptions{Replace: old != nil, KeepColumns: true})
	if err != nil {
		return plan.At(s.Table, err)
	}
	defer w.Abort()
	const batch = 8192
	for i := 0; i < len(model.Words); i += batch {
		j := min(i+batch, len(model.Words))
		if err := w.Append(model.Words[i:j], model.Counts[i:j], model.Vectors[i*model.Dim:j*model.Dim]); err != nil {
			return plan.At(s, err)
		}
	}
	if err := store.WriteState(w, model, model.Options.Kind == trainer.FastText); err != nil {
		return plan.At(s, err)
	}
	if model.Options.Kind == trainer.FastText {
		if err := store.WriteSubwords(w, model, true); err != nil {
			return plan.At(s, err)
		}
	}
	if old != nil && old.Index() != nil {
		// The vectors all moved: rebuild the index with the same parameters.
		if err := e.rebuildIndexInto(w, s.Table.Name, old.Index(), model.Vectors); err != nil {
			return plan.At(s, err)
		}
	}
	_, err = w.Commit()
	return plan.At(s, err)
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
		return fmt.Errorf("training file %s is a directory", store.Quote(path))
	}
	f, err := osfile.OpenRegular(path)
	if err != nil {
		return osfile.WithReason(err, "a corpus is read once for the vocabulary and again for every epoch, so it must be a regular file")
	}
	return f.Close()
}
