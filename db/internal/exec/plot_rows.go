package exec

import (
	"fmt"
	"strings"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// plotSpec reads PLOT's WITH options.
func (e *env) plotSpec(s *query.Plot) (*plotSpec, error) {
	vals, nodes, err := e.options(s.Options)
	if err != nil {
		return nil, err
	}
	spec := &plotSpec{method: "pca", labels: true, clusters: 8, seed: 1}
	for name, v := range vals {
		o := nodes[name]
		if err := spec.set(name, v, &o); err != nil {
			return nil, err
		}
	}
	for name := range vals {
		if m, ok := methodOption[name]; ok && !strings.Contains(m, spec.method) {
			o := nodes[name]
			switch m {
			case "tsne":
				return nil, plan.ErrAt(&o, nil, "%s is a t-SNE option: add method = 'tsne'", name)
			case "umap":
				return nil, plan.ErrAt(&o, nil, "%s is a UMAP option: add method = 'umap'", name)
			default:
				return nil, plan.ErrAt(&o, nil, "%s is a t-SNE and UMAP option: add method = 'tsne' or 'umap'", name)
			}
		}
	}
	if _, ok := vals["clusters"]; ok && spec.color != "cluster" {
		o := nodes["clusters"]
		return nil, plan.ErrAt(&o, nil, "clusters goes with color = 'cluster'")
	}
	spec.tsne.Seed, spec.umap.Seed = spec.seed, spec.seed
	return spec, nil
}

// methodOption names the methods each method-specific option goes with.
var methodOption = map[string]string{
	"perplexity": "tsne", "max_iter": "tsne", "early_exaggeration": "tsne", "angle": "tsne",
	"learning_rate": "tsne umap", "init": "tsne umap",
	"n_neighbors": "umap", "min_dist": "umap", "spread": "umap", "n_epochs": "umap", "negative_sample_rate": "umap",
}

// set applies one option.
func (sp *plotSpec) set(name string, v any, o *query.Option) error {
	str, isStr := v.(string)
	n, isInt := toInt(v)
	f, isNum := toFloat(v)
	bad := func(want string) error {
		return plan.ErrAt(o, nil, "%s must be %s, found %s", name, want, describeArg(v))
	}
	switch name {
	case "method":
		m := strings.ToLower(str)
		if m == "t-sne" {
			m = "tsne"
		}
		if !isStr || (m != "pca" && m != "tsne" && m != "umap") {
			return bad("'pca', 'tsne' or 'umap'")
		}
		sp.method = m
	case "labels":
		if !isStr || (str != "words" && str != "none") {
			return bad("'words' or 'none'")
		}
		sp.labels = str == "words"
	case "color":
		if !isStr || str == "" {
			return bad("'cluster', 'count', 'id' or 'none'")
		}
		switch c := strings.ToLower(str); c {
		case "cluster", "count", "id", "none":
			sp.color = strings.TrimPrefix(c, "none")
		default:
			// A column of the table, checked when the table is read.
			sp.color, sp.colorColumn, sp.colorAt = str, true, o
		}
	case "clusters":
		if !isInt || n < 1 || n > 100 {
			return bad("an integer from 1 to 100")
		}
		sp.clusters = int(n)
	case "seed":
		if !isInt || n < 0 {
			return bad("a non-negative integer")
		}
		sp.seed = uint64(n)
	case "normalize":
		b, ok := v.(bool)
		if !ok {
			return bad("true or false")
		}
		sp.normalize = &b
	case "title":
		if !isStr {
			return bad("a string")
		}
		sp.title = &str
	case "format":
		if !isStr || (str != "svg" && str != "png") {
			return bad("'svg' or 'png'")
		}
		sp.format = str
	case "width", "height":
		if !isInt || n < 100 || n > 8192 {
			return bad("an integer from 100 to 8192")
		}
		if name == "width" {
			sp.width = int(n)
		} else {
			sp.height = int(n)
		}
	default:
		return sp.setTSNE(name, v, o, f, isNum, str, isStr, n, isInt, bad)
	}
	return nil
}

func (sp *plotSpec) setTSNE(name string, v any, o *query.Option, f float64, isNum bool, str string, isStr bool,
	n int64, isInt bool, bad func(string) error) error {
	switch name {
	case "perplexity":
		if !isNum || !(f > 0) {
			return bad("a positive number")
		}
		sp.tsne.Perplexity = f
	case "learning_rate":
		if !isNum || !(f > 0) {
			return bad("a positive number")
		}
		sp.tsne.LearningRate, sp.umap.LearningRate = f, f
	case "early_exaggeration":
		if !isNum || !(f >= 1) {
			return bad("a number of at least 1")
		}
		sp.tsne.EarlyExaggeration = f
	case "angle":
		if !isNum || !(f > 0 && f <= 1) {
			return bad("a number in (0, 1]")
		}
		sp.tsne.Angle = f
	case "max_iter":
		if !isInt || n < 250 || n > 100000 {
			return bad("an integer from 250 to 100000")
		}
		sp.tsne.MaxIter = int(n)
	case "init":
		if !isStr || (str != "pca" && str != "random") {
			return bad("'pca' or 'random'")
		}
		sp.tsne.Init, sp.umap.Init = str, str
	default:
		return sp.setUMAP(name, v, o, bad)
	}
	return nil
}

func (sp *plotSpec) setUMAP(name string, v any, o *query.Option, bad func(string) error) error {
	n, isInt := toInt(v)
	f, isNum := toFloat(v)
	switch name {
	case "n_neighbors":
		if !isInt || n < 2 || n > 200 {
			return bad("an integer from 2 to 200")
		}
		sp.umap.NNeighbors = int(n)
	case "min_dist":
		if !isNum || !(f >= 0) {
			return bad("a number of at least 0")
		}
		sp.umap.MinDist = f
		if f == 0 {
			sp.umap.MinDist = -1 // plot.UMAPOptions: negative is 0, zero the default
		}
	case "spread":
		if !isNum || !(f > 0) {
			return bad("a positive number")
		}
		sp.umap.Spread = f
	case "n_epochs":
		if !isInt || n < 1 || n > 10000 {
			return bad("an integer from 1 to 10000")
		}
		sp.umap.NEpochs = int(n)
	case "negative_sample_rate":
		if !isInt || n < 1 || n > 100 {
			return bad("an integer from 1 to 100")
		}
		sp.umap.NegativeSampleRate = int(n)
	default:
		return unknownOption(*o, "PLOT", plotOptions)
	}
	return nil
}

// plotGather chooses PLOT's rows: the words listed, the query word and its
// neighbours, or the rows a WHERE and LIMIT select.
func (e *env) plotGather(s *query.Plot) (*plotRows, error) {
	switch {
	case s.Words != nil:
		pr, err := e.plotFetch(s, s.Words, s.Where)
		if err != nil {
			return nil, err
		}
		return pr, e.plotLimit(s, pr)
	case s.Nearest != nil:
		return e.plotNearest(s)
	}
	sel := e.plotSelect(s.Table, s.Where)
	sel.Limit = s.Limit
	pr := &plotRows{marked: -1}
	return pr, e.plotRead(sel, pr)
}

// plotNearest runs the NEAREST and fetches the query word (marked, first)
// and the neighbours, best first.
func (e *env) plotNearest(s *query.Plot) (*plotRows, error) {
	sel := &query.Select{Pos: s.Pos, From: s.Table, Where: s.Where,
		Items: []query.SelectItem{{Pos: s.Nearest.Pos, Expr: s.Nearest}}}
	rows, err := e.selectStmt(sel)
	if err != nil {
		return nil, err
	}
	all, err := rows.All()
	if err != nil {
		return nil, err
	}
	var keys []query.Expr
	center := false
	if len(s.Nearest.Args) > 0 {
		if w, err := e.evalConst(s.Nearest.Args[0]); err == nil {
			if str, ok := w.(string); ok {
				keys = append(keys, &query.StringLit{Pos: s.Nearest.Args[0].Position(), Value: str})
				center = true
			}
		}
	}
	for _, r := range all {
		if w, ok := r[0].(string); ok {
			keys = append(keys, &query.StringLit{Pos: s.Nearest.Pos, Value: w})
		}
	}
	pr, err := e.plotFetch(s, keys, nil)
	if err != nil {
		return nil, err
	}
	if center {
		pr.marked = 0
	}
	return pr, e.plotLimit(s, pr)
}

// plotLimit applies LIMIT to rows already chosen.
func (e *env) plotLimit(s *query.Plot, pr *plotRows) error {
	if s.Limit == nil {
		return nil
	}
	n, err := e.intArg(s.Limit, "LIMIT")
	if err != nil {
		return err
	}
	if n < 0 {
		return plan.ErrAt(s.Limit, nil, "LIMIT must not be negative, found %d", n)
	}
	if int(n) < len(pr.words) {
		pr.ids, pr.words, pr.counts = pr.ids[:n], pr.words[:n], pr.counts[:n]
		pr.vecs = pr.vecs[:int(n)*pr.dim]
		if pr.marked >= int(n) {
			pr.marked = -1
		}
	}
	return nil
}

// plotFetch reads the rows of the words keys (expressions giving strings),
// in the order given, each once; a word not in the table is an error at
// its position.
func (e *env) plotFetch(s *query.Plot, keys []query.Expr, where query.Expr) (*plotRows, error) {
	var words []string
	var lits []query.Expr
	pos := map[string]query.Expr{}
	for _, k := range keys {
		w, err := e.stringArg(k, "a word to plot")
		if err != nil {
			return nil, err
		}
		if _, dup := pos[w]; dup {
			continue
		}
		pos[w] = k
		words = append(words, w)
		lits = append(lits, &query.StringLit{Pos: k.Position(), Value: w})
	}
	cond := query.Expr(&query.In{Pos: s.Pos, X: &query.Ident{Pos: s.Pos, Name: "word"}, List: lits})
	if where != nil {
		cond = &query.Binary{Pos: s.Pos, Op: query.OpAnd, L: cond, R: where}
	}
	got := &plotRows{marked: -1}
	if err := e.plotRead(e.plotSelect(s.Table, cond), got); err != nil {
		return nil, err
	}
	at := make(map[string]int, len(got.words))
	for i, w := range got.words {
		at[w] = i
	}
	pr := &plotRows{marked: -1, dim: got.dim}
	for _, w := range words {
		i, ok := at[w]
		if !ok {
			if where != nil {
				continue // filtered out by WHERE
			}
			return nil, plan.ErrAt(pos[w], store.ErrNoWord, "word %s is not in table %s", store.Quote(w), store.Quote(s.Table.Name))
		}
		pr.ids = append(pr.ids, got.ids[i])
		pr.words = append(pr.words, w)
		pr.counts = append(pr.counts, got.counts[i])
		pr.vecs = append(pr.vecs, got.vecs[i*got.dim:(i+1)*got.dim]...)
	}
	return pr, nil
}

func (e *env) plotSelect(t *query.TableName, where query.Expr) *query.Select {
	col := func(name string) query.SelectItem {
		return query.SelectItem{Pos: t.Pos, Expr: &query.Ident{Pos: t.Pos, Name: name}}
	}
	return &query.Select{Pos: t.Pos, From: t, Where: where,
		Items: []query.SelectItem{col("id"), col("word"), col("count"), col("vector")}}
}

// plotRead runs sel (id, word, count, vector) and appends its rows to pr.
func (e *env) plotRead(sel *query.Select, pr *plotRows) error {
	rows, err := e.selectStmt(sel)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := rows.cur
		id, _ := r[0].(int64)
		w, _ := r[1].(string)
		c, _ := r[2].(int64)
		v, ok := r[3].([]float32)
		if !ok {
			return fmt.Errorf("%w: row %d has no vector", store.ErrCorrupt, id)
		}
		if pr.dim == 0 {
			pr.dim = len(v)
		}
		pr.ids, pr.words, pr.counts = append(pr.ids, id), append(pr.words, w), append(pr.counts, c)
		pr.vecs = append(pr.vecs, v...)
		if len(pr.words)%1024 == 0 && e.ctx.Err() != nil {
			return e.ctx.Err()
		}
	}
	return rows.Err()
}
