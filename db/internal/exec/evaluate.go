package exec

import (
	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/internal/osfile"
	"github.com/embeddb/embeddb/query"
	"github.com/embeddb/embeddb/trainer"
)

var evaluateOptions = []string{"analogies", "pairs", "restrict_vocab", "case_insensitive"}

func init() { handle((*env).evaluate) }

// evaluate runs EVALUATE t WITH (analogies = 'questions-words.txt') or
// (pairs = 'wordsim353.tsv'), as gensim's evaluate_word_analogies and
// evaluate_word_pairs compute them, over the table's rows in id order (for a
// trained table: most frequent first).
func (e *env) evaluate(s *query.Evaluate) (*Rows, error) {
	a, err := e.bindEvaluate(s)
	if err != nil {
		return nil, err
	}
	// Not os.Open: it blocks for ever on a FIFO with no writer, before any
	// check could refuse it, and no Ctrl-C reaches a goroutine stuck there.
	f, err := osfile.OpenRegular(a.path)
	if err != nil {
		err = osfile.WithReason(err, "EVALUATE reads only regular files, since a pipe with no writer would hold the statement for ever")
		return nil, plan.ErrAt(a.fileNode, err, "cannot read %s file: %v", a.kind, err)
	}
	defer f.Close()
	kv, err := e.evaluatedVectors(s, a.restrict, a.caseSensitive)
	if err != nil {
		return nil, err
	}
	if a.kind == "analogies" {
		res, err := kv.EvaluateWordAnalogies(e.ctx, f, a.restrict)
		if err != nil {
			return nil, plan.ErrAt(a.fileNode, err, "%s: %v", a.path, err)
		}
		rows := make([][]any, 0, len(res.Sections)+1)
		for _, sec := range append(res.Sections, res.Total) {
			rows = append(rows, []any{sec.Name, int64(sec.Correct), int64(sec.Correct + sec.Incorrect), sec.Accuracy()})
		}
		return newRows([]string{"section", "correct", "attempted", "accuracy"}, rows), nil
	}
	res, err := kv.EvaluateWordPairs(e.ctx, f, a.restrict)
	if err != nil {
		return nil, plan.ErrAt(a.fileNode, err, "%s: %v", a.path, err)
	}
	return newRows([]string{"pearson", "spearman", "oov_ratio", "pairs", "oov"}, [][]any{{
		res.Pearson, res.Spearman, res.OOVRatio, int64(res.Pairs), int64(res.OOV)}}), nil
}

// evaluateArgs is an EVALUATE statement bound: which test, from which
// file, over how many of the table's words.
type evaluateArgs struct {
	kind, path    string // kind is "analogies" or "pairs"
	fileNode      query.Expr
	restrict      int
	caseSensitive bool // case_insensitive = false
}

// bindEvaluate binds EVALUATE's options.
func (e *env) bindEvaluate(s *query.Evaluate) (*evaluateArgs, error) {
	vals, nodes, err := e.options(s.Options)
	if err != nil {
		return nil, err
	}
	a := &evaluateArgs{restrict: trainer.DefaultRestrictVocab}
	for name, v := range vals {
		o := nodes[name]
		switch name {
		case "analogies", "pairs":
			if a.kind != "" {
				return nil, plan.ErrAt(&o, nil, "EVALUATE takes analogies or pairs, not both")
			}
			str, ok := v.(string)
			if !ok {
				return nil, plan.ErrAt(&o, nil, "%s must be the path of a file, found %s", name, describeValue(v))
			}
			a.kind, a.path, a.fileNode = name, str, o.Value
		case "restrict_vocab":
			n, ok := toInt(v)
			if !ok || n < 1 {
				return nil, plan.ErrAt(&o, nil, "restrict_vocab must be a positive integer, found %s", shown(v))
			}
			a.restrict = int(n)
		case "case_insensitive":
			b, err := parseBool(v)
			if err != nil {
				return nil, plan.ErrAt(&o, nil, "case_insensitive must be true or false, found %s", shown(v))
			}
			a.caseSensitive = !b
		default:
			return nil, unknownOption(o, "EVALUATE", evaluateOptions)
		}
	}
	if a.kind == "" {
		return nil, plan.ErrAt(s, nil, "EVALUATE needs WITH (analogies = 'file') or WITH (pairs = 'file')")
	}
	return a, nil
}

// evaluatedVectors reads the first restrict named rows of the table.
func (e *env) evaluatedVectors(s *query.Evaluate, restrict int, caseSensitive bool) (*trainer.KeyedVectors, error) {
	kv := &trainer.KeyedVectors{CaseSensitive: caseSensitive}
	err := e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		kv.Dim = t.Dim()
		n := min(int(t.Rows()), restrict)
		kv.Words = make([]string, 0, n)
		kv.Vectors = make([]float32, 0, n*t.Dim())
		return t.ForEachRow(0, true, func(r store.Row) error {
			if r.Word == "" {
				return nil
			}
			if len(kv.Words) == restrict {
				return errStop // evaluation looks at the first restrict_vocab words only
			}
			kv.Words = append(kv.Words, r.Word)
			kv.Vectors = append(kv.Vectors, r.Vector...)
			return nil
		})
	})
	if err != nil && err != errStop {
		return nil, err
	}
	return kv, nil
}
