package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// maxTerms bounds the words or tokens of a text query.
const maxTerms = 64

// answer finds the neighbours of text in table and places them on a map.
func (a *api) answer(ctx context.Context, table, text string, k int, method string) (*Answer, error) {
	info, err := a.d.Table(ctx, table)
	if err != nil {
		return nil, err
	}
	tn := query.QuoteIdent(table)
	key, args, center, err := a.key(ctx, info, tn, text)
	if err != nil {
		return nil, err
	}
	near, err := a.d.Exec(ctx, "SELECT NEAREST("+key+", ?) FROM "+tn, append(args, k)...)
	if err != nil {
		return nil, err
	}
	if method == "" {
		method = "pca"
	}
	// method is 'pca', 'tsne' or 'umap', checked by the caller.
	placed, err := a.d.Exec(ctx, "PLOT "+tn+" NEAREST ("+key+", ?) WITH (method = '"+method+"')", append(args, k)...)
	if err != nil {
		return nil, err
	}
	at := make(map[string][2]float64, len(placed.Rows))
	for _, r := range placed.Rows {
		w, _ := r[0].(string)
		x, _ := r[1].(float64)
		y, _ := r[2].(float64)
		at[w] = [2]float64{x, y}
	}
	ans := &Answer{Table: table, Query: text, Neighbors: make([]Neighbor, 0, len(near.Rows))}
	if center != "" {
		p := at[center]
		ans.Center = &Neighbor{Word: center, Similarity: 1, X: p[0], Y: p[1]}
	}
	for _, r := range near.Rows {
		w, _ := r[0].(string)
		s, _ := r[1].(float32)
		if f, ok := r[1].(float64); ok {
			s = float32(f)
		}
		p := at[w]
		ans.Neighbors = append(ans.Neighbors, Neighbor{Word: w, Similarity: s, X: p[0], Y: p[1]})
	}
	return ans, nil
}

// key returns the NEAREST argument for text, with its parameters: the word
// itself when the table has it (center is then that word); else the sum of
// the text's words that the table has; else, for a table with a tokenizer,
// the sum of the text's tokens.
func (a *api) key(ctx context.Context, info *db.TableInfo, tn, text string) (key string, args []any, center string, err error) {
	if a.hasWord(ctx, tn, text) {
		return "?", []any{text}, text, nil
	}
	var terms []string
	for _, w := range strings.Fields(text) {
		if len(args) < maxTerms && a.hasWord(ctx, tn, w) {
			terms = append(terms, "VECTOR(?)")
			args = append(args, w)
		}
	}
	if len(terms) == 0 && info.Tokenizer {
		toks, err := a.d.Exec(ctx, "SELECT TOKENS(?) FROM "+tn, text)
		if err != nil {
			return "", nil, "", err
		}
		for _, r := range toks.Rows {
			if len(args) < maxTerms {
				terms = append(terms, "TOKEN(?)")
				args = append(args, r[1])
			}
		}
	}
	if len(terms) == 0 {
		return "", nil, "", fmt.Errorf("%w: no word of %q is in table %s", db.ErrNoWord, query.Shorten(text), info.Name)
	}
	return strings.Join(terms, " + "), args, "", nil
}

// hasWord reports whether table tn has the word w (a lookup in its words
// index: SELECT COUNT(*) would scan).
func (a *api) hasWord(ctx context.Context, tn, w string) bool {
	res, err := a.d.Exec(ctx, "SELECT id FROM "+tn+" WHERE word = ?", w)
	return err == nil && len(res.Rows) > 0
}
