package exec

import (
	"slices"
	"strings"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/internal/vec"
	"github.com/embeddb/embeddb/query"
	"github.com/embeddb/embeddb/trainer/tokenize"
)

// This file holds what a table with a tokenizer does with plain text:
// TOKENS and EMBED with readable tokens and special tokens, words looked up
// as text (NEAREST('你好', 3)), EMBED_TEXT's pooled vectors, and the IMPORT
// check that the tokenizer's ids fit the matrix.

// checkTokenizerRows refuses a tokenizer whose ids do not all have a row in
// a matrix of rows rows.
func checkTokenizerRows(n query.Node, tok *store.BPETokenizer, tokPath string, rows int64, what string) error {
	if size := int64(tok.BPE.VocabSize()); size > rows {
		return plan.ErrAt(n, store.ErrTokenizerMismatch, "tokenizer %s has token ids 0 to %d (%d ids), but %s has %d rows: the tokenizer does not belong to this matrix",
			tokPath, size-1, size, what, rows)
	}
	return nil
}

// namedArgs splits a call's arguments into positional ones and name =
// value options (pool = 'mean'), which come last. allowed lists the option
// names.
func (s *scope) namedArgs(call *query.Call, allowed ...string) ([]query.Expr, map[string]query.Expr, error) {
	var pos []query.Expr
	named := map[string]query.Expr{}
	for _, a := range call.Args {
		b, ok := a.(*query.Binary)
		var id *query.Ident
		if ok && b.Op == query.OpEq {
			id, ok = b.L.(*query.Ident)
		}
		if !ok || id == nil || plan.IsColumn(id.Name) && !slices.Contains(allowed, id.Name) {
			if len(named) > 0 {
				return nil, nil, plan.ErrAt(a, nil, "%s: positional argument after a named option", call.Name)
			}
			pos = append(pos, a)
			continue
		}
		if !slices.Contains(allowed, id.Name) {
			return nil, nil, plan.ErrAt(id, nil, "%s has no option %s (options: %s)", call.Name, id.Name, strings.Join(allowed, ", "))
		}
		if _, dup := named[id.Name]; dup {
			return nil, nil, plan.ErrAt(id, nil, "%s: option %s given twice", call.Name, id.Name)
		}
		named[id.Name] = b.R
	}
	return pos, named, nil
}

// optString evaluates a string option, def when absent.
func (s *scope) optString(named map[string]query.Expr, name, def string) (string, error) {
	x, ok := named[name]
	if !ok {
		return def, nil
	}
	v, err := s.eval(x)
	if err != nil {
		return "", err
	}
	str, ok := v.(string)
	if !ok {
		return "", plan.ErrAt(x, nil, "option %s expects a string, found %s", name, describeValue(v))
	}
	return str, nil
}

// optBool evaluates a boolean option, def when absent.
func (s *scope) optBool(named map[string]query.Expr, name string, def bool) (bool, error) {
	x, ok := named[name]
	if !ok {
		return def, nil
	}
	v, err := s.eval(x)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, plan.ErrAt(x, nil, "option %s expects true or false, found %s", name, describeValue(v))
	}
	return b, nil
}

// tableTokenizer returns the tokenizer of t, with the error a user reads
// at node n when t has none.
func (s *scope) tableTokenizer(n query.Node, t *store.Table) (*store.BPETokenizer, error) {
	tok, err := s.e.st.Tokenizer(t)
	if err != nil {
		if !t.Info().Tokenizer {
			return nil, plan.ErrAt(n, store.ErrNoTokenizer,
				"table %s has no tokenizer (IMPORT it WITH (tokenizer = 'tokenizer.json'))", t.Name())
		}
		return nil, plan.At(n, err)
	}
	return tok, nil
}

// encodeText tokenizes text with t's tokenizer and checks that every
// token has a live row.
func (s *scope) encodeText(n query.Node, t *store.Table, tok *store.BPETokenizer, text string, addSpecial bool) ([]tokenize.Token, error) {
	toks := tok.BPE.Encode(text)
	if addSpecial {
		toks = tok.BPE.AddSpecialTokens(toks)
	}
	// Without deleted rows every id below NextID is live.
	deleted := t.Rows() != int64(t.NextID())
	for _, tk := range toks {
		if tk.ID < 0 || int64(tk.ID) >= int64(t.NextID()) {
			return nil, plan.ErrAt(n, store.ErrNoWord, "token %s has id %d, but %s has rows 0 to %d only", store.Quote(tk.Text), tk.ID, t.Name(), int64(t.NextID())-1)
		}
		if deleted {
			if _, _, live, err := t.RowMeta(uint32(tk.ID)); err != nil {
				return nil, plan.At(n, err)
			} else if !live {
				return nil, plan.ErrAt(n, store.ErrNoWord, "token %s has id %d, and row %d of %s was deleted", store.Quote(tk.Text), tk.ID, tk.ID, t.Name())
			}
		}
	}
	return toks, nil
}

// tokens runs SELECT TOKENS(text [, add_special_tokens = b]) and SELECT
// EMBED(...): one row per token with its vocabulary form, id and the text
// a person reads (the decoder applied to the token alone). Special tokens
// (BOS for Llama 2 and Gemma 3) are added as Hugging Face's
// add_special_tokens=True does, unless add_special_tokens = false.
func (s *scope) tokens(call *query.Call) ([]string, [][]any, error) {
	pos, named, err := s.namedArgs(call, "add_special_tokens")
	if err != nil {
		return nil, nil, err
	}
	if len(pos) != 1 {
		return nil, nil, plan.ErrAt(call, nil, "%s takes 1 argument (the text) and the option add_special_tokens, found %d arguments", call.Name, len(pos))
	}
	v, err := s.eval(pos[0])
	if err != nil {
		return nil, nil, err
	}
	text, ok := v.(string)
	if !ok {
		return nil, nil, plan.ErrAt(pos[0], nil, "%s expects text, found %s", call.Name, describeValue(v))
	}
	addSpecial, err := s.optBool(named, "add_special_tokens", true)
	if err != nil {
		return nil, nil, err
	}
	tok, err := s.tableTokenizer(call, s.t)
	if err != nil {
		return nil, nil, err
	}
	toks := tok.BPE.Encode(text)
	if addSpecial {
		toks = tok.BPE.AddSpecialTokens(toks)
	}
	if call.Name == "EMBED" {
		if toks, err = s.encodeText(call, s.t, tok, text, addSpecial); err != nil {
			return nil, nil, err
		}
	}
	rows := make([][]any, len(toks))
	for i, tk := range toks {
		readable, _ := tok.BPE.TokenText(tk.ID)
		rows[i] = []any{tk.Text, int64(tk.ID), readable}
	}
	if call.Name == "TOKENS" {
		return []string{"token", "id", "text"}, rows, nil
	}
	for i, tk := range toks {
		vec := make([]float32, s.t.Dim())
		if err := s.t.Vector(vec, uint32(tk.ID)); err != nil {
			return nil, nil, plan.At(call, err)
		}
		rows[i] = append(rows[i], vec)
	}
	return []string{"token", "id", "text", "vector"}, rows, nil
}

// textRows answers a word that is not in t's vocabulary as text, when t
// has a tokenizer: the ids of its tokens and the vector to use (the row of
// a single token, else the mean of the tokens' rows). ok is false when t
// has no tokenizer or the text has no token.
func (s *scope) textRows(n query.Node, text string) (ids []uint32, vec []float32, ok bool, err error) {
	if s.t == nil || !s.t.Info().Tokenizer {
		return nil, nil, false, nil
	}
	tok, err := s.tableTokenizer(n, s.t)
	if err != nil {
		return nil, nil, false, err
	}
	toks, err := s.encodeText(n, s.t, tok, text, false)
	if err != nil || len(toks) == 0 {
		return nil, nil, false, err
	}
	vec, err = s.pool(n, s.t, toks, "mean")
	if err != nil {
		return nil, nil, false, err
	}
	for _, tk := range toks {
		if !slices.Contains(ids, uint32(tk.ID)) {
			ids = append(ids, uint32(tk.ID))
		}
	}
	return ids, vec, true, nil
}

// wordRows looks up a word of the FROM table as wordRow does, and on a
// table with a tokenizer a word that is not in the vocabulary as text:
// every row it stands for and its vector.
func (s *scope) wordRows(n query.Node, word string) ([]uint32, []float32, error) {
	// The text path is tried before wordRow, which would look for a
	// "did you mean" among all the table's words first.
	if s.t != nil && s.t.Info().Tokenizer {
		if _, found, err := s.t.WordID(word); err == nil && !found {
			ids, vec, ok, err := s.textRows(n, word)
			if err != nil {
				return nil, nil, err
			}
			if ok {
				return ids, vec, nil
			}
		}
	}
	id, vec, err := s.wordRow(n, word)
	if err != nil || id == noRow { // noRow: a FastText word built from its n-grams
		return nil, vec, err
	}
	return []uint32{id}, vec, nil
}

// pool returns one vector for toks from t's rows: "mean" (Model2Vec's
// static embedding), "max" (the largest value of each dimension) or "sif"
// (Arora et al. 2017's weights a/(a + p(w)), a = 1e-3, p(w) the token's
// share of the table's counts, without the common-component removal).
func (s *scope) pool(n query.Node, t *store.Table, toks []tokenize.Token, pool string) ([]float32, error) {
	if len(toks) == 0 {
		return nil, plan.ErrAt(n, nil, "the text has no token, so it has no vector")
	}
	var weight func(id uint32) float64
	switch pool {
	case "mean", "max":
	case "sif":
		w, err := s.sifWeights(n, t)
		if err != nil {
			return nil, err
		}
		weight = w
	default:
		return nil, plan.ErrAt(n, nil, "pool must be 'mean', 'max' or 'sif', found %s", store.Quote(pool))
	}
	// float32 sums: a text has at most a few thousand tokens, and float32
	// keeps the loop short. The rows are added straight from their stored
	// bytes (bfloat16 for an LLM): decoding them first was most of the time.
	dim := t.Dim()
	row := make([]float32, dim)
	acc := make([]float32, dim)
	var total float64
	for k, tk := range toks {
		raw, err := t.VectorBytes(uint32(tk.ID))
		if err != nil {
			return nil, plan.At(n, err)
		}
		switch {
		case pool == "max":
			store.DecodeVector(row, raw, t.Elem())
			if k == 0 {
				copy(acc, row)
			}
			for i, f := range row {
				acc[i] = max(acc[i], f)
			}
		case pool == "sif":
			w := weight(uint32(tk.ID))
			total += w
			addRaw(acc, row, raw, t.Elem(), float32(w))
		default:
			total++
			addRaw(acc, row, raw, t.Elem(), 1)
		}
	}
	if pool != "max" {
		scale := float32(1 / total)
		for i := range acc {
			acc[i] *= scale
		}
	}
	return acc, nil
}

// addRaw adds a times the stored vector raw (of element type e) to acc;
// row is scratch of the vector's length.
func addRaw(acc, row []float32, raw []byte, e store.ElemType, a float32) {
	if e != vec.BFloat16 {
		store.DecodeVector(row, raw, e)
		axpy(a, row, acc)
		return
	}
	vec.AxpyBFloat16(a, raw, acc)
}

// sifWeight is Arora et al.'s a.
const sifWeight = 1e-3

// sifWeights returns the SIF weight of each row of t from its counts.
func (s *scope) sifWeights(n query.Node, t *store.Table) (func(uint32) float64, error) {
	_, counts, _, err := s.e.st.RowNames(t)
	if err != nil {
		return nil, plan.At(n, err)
	}
	var sum float64
	for _, c := range counts {
		sum += float64(max(c, 0))
	}
	if sum == 0 {
		return nil, plan.ErrAt(n, nil, "pool = 'sif' weighs tokens by their counts, and the rows of %s have none (use pool = 'mean')", t.Name())
	}
	return func(id uint32) float64 {
		var p float64
		if int(id) < len(counts) {
			p = float64(max(counts[id], 0)) / sum
		}
		return sifWeight / (sifWeight + p)
	}, nil
}

// embedText evaluates EMBED_TEXT(text [, pool = 'mean'|'max'|'sif']
// [, add_special_tokens = false] [, model = 'table']): one vector for a
// text from the rows of its tokens in the model table (the FROM table
// unless model names another).
func (s *scope) embedText(call *query.Call) ([]float32, error) {
	pos, named, err := s.namedArgs(call, "pool", "add_special_tokens", "model")
	if err != nil {
		return nil, err
	}
	if len(pos) != 1 {
		return nil, plan.ErrAt(call, nil, "EMBED_TEXT takes 1 argument (the text) and the options pool, add_special_tokens and model, found %d arguments", len(pos))
	}
	v, err := s.eval(pos[0])
	if err != nil {
		return nil, err
	}
	text, ok := v.(string)
	if !ok {
		return nil, plan.ErrAt(pos[0], nil, "EMBED_TEXT expects text, found %s", describeValue(v))
	}
	pool, err := s.optString(named, "pool", "mean")
	if err != nil {
		return nil, err
	}
	addSpecial, err := s.optBool(named, "add_special_tokens", false)
	if err != nil {
		return nil, err
	}
	t, err := s.modelTable(call, named)
	if err != nil {
		return nil, err
	}
	tok, err := s.tableTokenizer(call, t)
	if err != nil {
		return nil, err
	}
	toks, err := s.encodeText(pos[0], t, tok, text, addSpecial)
	if err != nil {
		return nil, err
	}
	return s.pool(pos[0], t, toks, pool)
}

// modelTable returns the table named by the model option, else the FROM
// table.
func (s *scope) modelTable(call *query.Call, named map[string]query.Expr) (*store.Table, error) {
	name, err := s.optString(named, "model", "")
	if err != nil {
		return nil, err
	}
	if s.t == nil {
		return nil, plan.ErrAt(call, store.ErrNoTable, "EMBED_TEXT needs a FROM table (or the table of an INSERT) to read its model table through")
	}
	if name == "" || name == s.t.Name() {
		return s.t, nil
	}
	return plan.BindSibling(s.t, &query.TableName{Pos: named["model"].Position(), Name: name})
}

// readableNearest adds the token column to NEAREST's rows on a table with
// a tokenizer and shows each word decoded: "你好" for the vocabulary's
// "ä½łå¥½", " Hi" for "ĠHi".
func (s *scope) readableNearest(call *query.Call, rows [][]any) ([]string, [][]any, error) {
	tok, err := s.tableTokenizer(call, s.t)
	if err != nil {
		return nil, nil, err
	}
	for i, r := range rows {
		vocab, _ := r[0].(string)
		text := vocab
		if id, ok := tok.BPE.TokenToID(vocab); ok {
			text, _ = tok.BPE.TokenText(id)
		}
		rows[i] = []any{text, r[1], vocab}
	}
	return []string{"word", "similarity", "token"}, rows, nil
}

// explainText describes how NEAREST's argument x reads the texts in it on
// a table with a tokenizer: words of the vocabulary, single tokens, or the
// mean of several tokens.
func (s *scope) explainText(x query.Expr, add func(string, ...any)) {
	if !s.t.Info().Tokenizer {
		return
	}
	terms, ok := s.linearTerms(x, 1, nil)
	if !ok {
		return
	}
	for _, tm := range terms {
		if _, isCall := tm.key.(*query.Call); isCall {
			continue
		}
		v, err := s.eval(tm.key)
		word, isStr := v.(string)
		if err != nil || !isStr {
			continue
		}
		if _, found, err := s.t.WordID(word); err != nil || found {
			continue
		}
		tok, err := s.tableTokenizer(tm.key, s.t)
		if err != nil {
			return
		}
		toks := tok.BPE.Encode(word)
		switch len(toks) {
		case 0:
		case 1:
			add("the text %s is the token %s (id %d)", store.Quote(word), store.Quote(toks[0].Text), toks[0].ID)
		default:
			add("the text %s is %d tokens of the tokenizer of %s: the query uses the mean of their vectors", store.Quote(word), len(toks), s.t.Name())
		}
	}
}

// axpy adds a*x to y.
func axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += a * x[i]
		y[i+1] += a * x[i+1]
		y[i+2] += a * x[i+2]
		y[i+3] += a * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += a * x[i]
	}
}
