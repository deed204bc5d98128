package exec

import (
	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// tokens runs SELECT TOKENS(text) and SELECT EMBED(text).
func (s *scope) tokens(call *query.Call) ([]string, [][]any, error) {
	if err := arity(call, 1, 1); err != nil {
		return nil, nil, err
	}
	v, err := s.eval(call.Args[0])
	if err != nil {
		return nil, nil, err
	}
	text, ok := v.(string)
	if !ok {
		return nil, nil, plan.ErrAt(call.Args[0], nil, "%s expects text, found %s", call.Name, describeValue(v))
	}
	tok, err := s.e.st.Tokenizer(s.t)
	if err != nil {
		if !s.t.Info().Tokenizer {
			return nil, nil, plan.ErrAt(call, store.ErrNoTokenizer,
				"table %s has no tokenizer (IMPORT it WITH (tokenizer = 'tokenizer.json'))", s.t.Name())
		}
		return nil, nil, plan.At(call, err)
	}
	toks := tok.BPE.Encode(text)
	if call.Name == "TOKENS" {
		rows := make([][]any, len(toks))
		for i, tk := range toks {
			rows[i] = []any{tk.Text, int64(tk.ID)}
		}
		return []string{"token", "id"}, rows, nil
	}
	rows := make([][]any, len(toks))
	for i, tk := range toks {
		if tk.ID < 0 || int64(tk.ID) >= int64(s.t.NextID()) {
			return nil, nil, plan.ErrAt(call, store.ErrNoWord, "token %s has id %d, but %s has rows 0 to %d only", store.Quote(tk.Text), tk.ID, s.t.Name(), int64(s.t.NextID())-1)
		}
		vec := make([]float32, s.t.Dim())
		if err := s.t.Vector(vec, uint32(tk.ID)); err != nil {
			return nil, nil, plan.At(call, err)
		}
		rows[i] = []any{tk.Text, int64(tk.ID), vec}
	}
	return []string{"token", "id", "vector"}, rows, nil
}
