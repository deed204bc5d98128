package db

import (
	"github.com/embeddb/embeddb/internal/osfile"
	"github.com/embeddb/embeddb/query"
	"github.com/embeddb/embeddb/trainer"
	bolt "go.etcd.io/bbolt"
)

var evaluateOptions = []string{"analogies", "pairs", "restrict_vocab", "case_insensitive"}

// evaluate runs EVALUATE t WITH (analogies = 'questions-words.txt') or
// (pairs = 'wordsim353.tsv'), as gensim's evaluate_word_analogies and
// evaluate_word_pairs compute them, over the table's rows in id order (for a
// trained table: most frequent first).
func (e *env) evaluate(s *query.Evaluate) (*Rows, error) {
	vals, nodes, err := e.options(s.Options)
	if err != nil {
		return nil, err
	}
	restrict := trainer.DefaultRestrictVocab
	caseSensitive := false
	var kind, path string
	var fileNode query.Expr
	for name, v := range vals {
		o := nodes[name]
		switch name {
		case "analogies", "pairs":
			if kind != "" {
				return nil, errAt(&o, nil, "EVALUATE takes analogies or pairs, not both")
			}
			str, ok := v.(string)
			if !ok {
				return nil, errAt(&o, nil, "%s must be the path of a file, found %s", name, describeValue(v))
			}
			kind, path, fileNode = name, str, o.Value
		case "restrict_vocab":
			n, ok := toInt(v)
			if !ok || n < 1 {
				return nil, errAt(&o, nil, "restrict_vocab must be a positive integer, found %s", shown(v))
			}
			restrict = int(n)
		case "case_insensitive":
			b, err := parseBool(v)
			if err != nil {
				return nil, errAt(&o, nil, "case_insensitive must be true or false, found %s", shown(v))
			}
			caseSensitive = !b
		default:
			return nil, unknownOption(o, "EVALUATE", evaluateOptions)
		}
	}
	if kind == "" {
		return nil, errAt(s, nil, "EVALUATE needs WITH (analogies = 'file') or WITH (pairs = 'file')")
	}
	// Not os.Open: it blocks for ever on a FIFO with no writer, before any
	// check could refuse it, and no Ctrl-C reaches a goroutine stuck there.
	f, err := osfile.OpenRegular(path)
	if err != nil {
		err = osfile.WithReason(err, "EVALUATE reads only regular files, since a pipe with no writer would hold the statement for ever")
		return nil, errAt(fileNode, err, "cannot read %s file: %v", kind, err)
	}
	defer f.Close()
	kv := &trainer.KeyedVectors{CaseSensitive: caseSensitive}
	err = e.d.view(e.ctx, func(tx *bolt.Tx) error {
		t, err := e.table(tx, s.Table)
		if err != nil {
			return err
		}
		kv.Dim = t.meta.Dim
		n := min(int(t.meta.Rows), restrict)
		kv.Words = make([]string, 0, n)
		kv.Vectors = make([]float32, 0, n*t.meta.Dim)
		return t.forEachRow(0, true, func(r Row) error {
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
	if kind == "analogies" {
		res, err := kv.EvaluateWordAnalogies(e.ctx, f, restrict)
		if err != nil {
			return nil, errAt(fileNode, err, "%s: %v", path, err)
		}
		rows := make([][]any, 0, len(res.Sections)+1)
		for _, sec := range append(res.Sections, res.Total) {
			rows = append(rows, []any{sec.Name, int64(sec.Correct), int64(sec.Correct + sec.Incorrect), sec.Accuracy()})
		}
		return newRows([]string{"section", "correct", "attempted", "accuracy"}, rows), nil
	}
	res, err := kv.EvaluateWordPairs(e.ctx, f, restrict)
	if err != nil {
		return nil, errAt(fileNode, err, "%s: %v", path, err)
	}
	return newRows([]string{"pearson", "spearman", "oov_ratio", "pairs", "oov"}, [][]any{{
		res.Pearson, res.Spearman, res.OOVRatio, int64(res.Pairs), int64(res.OOV)}}), nil
}
