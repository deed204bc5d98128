package exec

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/internal/atomicfile"
	"github.com/embeddb/embeddb/plot"
	"github.com/embeddb/embeddb/query"
)

// This file runs PLOT: it chooses rows with ordinary SELECTs, projects
// their vectors with package plot and draws the map into a file.

var plotOptions = []string{"angle", "clusters", "color", "early_exaggeration", "format", "height",
	"init", "labels", "learning_rate", "max_iter", "method", "min_dist", "n_epochs", "n_neighbors",
	"negative_sample_rate", "normalize", "perplexity", "seed", "spread", "title", "width"}

// maxTSNEPoints bounds t-SNE and UMAP, whose neighbour search compares
// every pair.
const maxTSNEPoints = 20000

// plotSpec is PLOT's options, read and checked.
type plotSpec struct {
	method      string // "pca", "tsne" or "umap"
	tsne        plot.TSNEOptions
	umap        plot.UMAPOptions
	labels      bool
	color       string        // "", "cluster", "count", "id" or a user column's name
	colorColumn bool          // color names a user column
	colorAt     *query.Option // the color option, for errors
	clusters    int
	seed        uint64
	normalize   *bool // nil: as the table's metric says
	title       *string
	format      string // "svg" or "png"; "" = from the file's extension
	width       int
	height      int
}

// plotRows is what PLOT draws: the rows chosen, in drawing order.
type plotRows struct {
	ids    []int64
	words  []string
	counts []int64
	vecs   []float32
	dim    int
	marked int // index of the query word of NEAREST, or -1
}

func init() { handle((*env).plotStmt) }

// plotStmt runs PLOT.
func (e *env) plotStmt(s *query.Plot) (*Rows, error) {
	spec, err := e.plotSpec(s)
	if err != nil {
		return nil, err
	}
	var path string
	if s.File != nil {
		if path, err = e.stringArg(s.File, "the file to write"); err != nil {
			return nil, err
		}
		if spec.format == "" {
			spec.format = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
			if spec.format != "svg" && spec.format != "png" {
				return nil, plan.ErrAt(s.File, nil, "PLOT writes .svg or .png files; give one of those extensions or WITH (format = 'svg' | 'png')")
			}
		}
	}
	meta, tok, err := e.plotTable(s.Table)
	if err != nil {
		return nil, err
	}
	pr, err := e.plotGather(s)
	if err != nil {
		return nil, err
	}
	if len(pr.words) == 0 {
		return nil, plan.ErrAt(s, nil, "PLOT found no rows to draw")
	}
	if spec.method != "pca" && len(pr.words) > maxTSNEPoints {
		return nil, plan.ErrAt(s, nil, "%s draws at most %d points, found %d: add a LIMIT or use method = 'pca'", methodName(spec.method), maxTSNEPoints, len(pr.words))
	}
	normalize := meta.Metric == "cosine"
	if spec.normalize != nil {
		normalize = *spec.normalize
	}
	if normalize {
		unitRows(pr.vecs, pr.dim)
	}
	pts, err := e.project(s, spec, pr)
	if err != nil {
		return nil, err
	}
	var colorVals []any
	if spec.colorColumn {
		if colorVals, err = e.plotColumnValues(s.Table, spec, pr.ids); err != nil {
			return nil, err
		}
	}
	var clusters []int
	if spec.color == "cluster" {
		if clusters, err = plot.KMeans(e.ctx, pr.vecs, pr.dim, spec.clusters, spec.seed); err != nil {
			return nil, plan.At(s, err)
		}
	}
	if path != "" {
		p := e.plotPicture(s, spec, pr, pts, clusters, tok)
		if colorVals != nil {
			p.Colors, p.Legend = columnColors(spec.color, colorVals)
		}
		if err := writePlot(p, path, spec.format); err != nil {
			return nil, plan.ErrAt(s.File, err, "cannot write %s: %v", store.Quote(path), err)
		}
	}
	return plotResult(pr, pts, clusters), nil
}

func plotResult(pr *plotRows, pts []plot.Point, clusters []int) *Rows {
	cols := []string{"word", "x", "y"}
	if clusters != nil {
		cols = append(cols, "cluster")
	}
	rows := make([][]any, len(pts))
	for i, p := range pts {
		rows[i] = []any{pr.words[i], p.X, p.Y}
		if clusters != nil {
			rows[i] = append(rows[i], int64(clusters[i]))
		}
	}
	return newRows(cols, rows)
}

// plotTable returns the table's metadata and, for a table with a
// tokenizer, that tokenizer (to decode labels).
func (e *env) plotTable(tn *query.TableName) (*store.TableInfo, *store.BPETokenizer, error) {
	var meta store.TableInfo
	var tok *store.BPETokenizer
	err := e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, tn)
		if err != nil {
			return err
		}
		meta = *t.Info()
		if t.Info().Tokenizer {
			tok, err = e.st.Tokenizer(t)
		}
		return err
	})
	return &meta, tok, err
}

func (e *env) project(s *query.Plot, spec *plotSpec, pr *plotRows) ([]plot.Point, error) {
	var pts []plot.Point
	var err error
	if spec.method != "pca" && len(pr.words) < 2 {
		return nil, plan.ErrAt(s, nil, "%s needs at least 2 points, found %d", methodName(spec.method), len(pr.words))
	}
	switch spec.method {
	case "tsne":
		pts, err = plot.TSNE(e.ctx, pr.vecs, pr.dim, spec.tsne)
	case "umap":
		pts, err = plot.UMAP(e.ctx, pr.vecs, pr.dim, spec.umap)
	default:
		pts, err = plot.PCA(e.ctx, pr.vecs, pr.dim)
	}
	if err != nil {
		return nil, plan.At(s, err)
	}
	return pts, nil
}

// unitRows scales each row to unit length (zero rows stay zero), so that
// the map's distances follow cosine similarity.
func unitRows(v []float32, dim int) {
	for i := 0; i+dim <= len(v); i += dim {
		var s float64
		for _, x := range v[i : i+dim] {
			s += float64(x) * float64(x)
		}
		if s > 0 {
			inv := float32(1 / math.Sqrt(s))
			for j := i; j < i+dim; j++ {
				v[j] *= inv
			}
		}
	}
}

// writePlot draws p into path, through a temporary file renamed over it,
// so that a failure leaves any earlier file as it was.
func writePlot(p *plot.Plot, path, format string) error {
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = p.WritePNG(&buf)
	} else {
		err = p.WriteSVG(&buf)
	}
	if err != nil {
		return err
	}
	target, err := atomicfile.Target(path)
	if err != nil {
		return err
	}
	f, err := atomicfile.CreateTemp(target, "plot")
	if err != nil {
		return err
	}
	_, err = f.Write(buf.Bytes())
	if ferr := atomicfile.Finish(f, 0o644); err == nil {
		err = ferr
	}
	if err == nil {
		err = atomicfile.Replace(f.Name(), target)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// plotPicture makes the picture: labels (decoded for a table with a
// tokenizer), colours, the mark on the query word and a title.
func (e *env) plotPicture(s *query.Plot, spec *plotSpec, pr *plotRows, pts []plot.Point, clusters []int, tok *store.BPETokenizer) *plot.Plot {
	p := &plot.Plot{Points: pts, Width: spec.width, Height: spec.height}
	if spec.labels {
		p.Labels = make([]string, len(pr.words))
		for i, w := range pr.words {
			p.Labels[i] = w
			if tok != nil {
				if text, err := tok.BPE.Decode([]int{int(pr.ids[i])}); err == nil {
					p.Labels[i] = showSpaces(text)
				}
			}
		}
	}
	if pr.marked >= 0 {
		p.Marked = make([]bool, len(pts))
		p.Marked[pr.marked] = true
	}
	switch spec.color {
	case "cluster":
		p.Colors = plot.CategoryColors(clusters)
		for c := 0; c < spec.clusters && c < len(plot.Palette); c++ {
			p.Legend = append(p.Legend, plot.LegendItem{Color: plot.Palette[c], Text: fmt.Sprintf("cluster %d", c)})
		}
	case "count", "id":
		vals := make([]float64, len(pr.words))
		for i := range vals {
			if spec.color == "count" {
				vals[i] = float64(pr.counts[i])
			} else {
				vals[i] = float64(pr.ids[i])
			}
		}
		p.Colors, p.Legend = plot.ScaleColors(vals, spec.color == "count")
		for i := range p.Legend {
			p.Legend[i].Text = spec.color + " " + p.Legend[i].Text
		}
	}
	if spec.title != nil {
		p.Title = *spec.title
	} else {
		p.Title = plotTitle(s, spec, len(pts))
	}
	return p
}

// showSpaces makes a decoded token's leading and trailing spaces visible
// (" cat" and "cat" are different tokens).
func showSpaces(s string) string {
	t := strings.TrimLeft(s, " ")
	lead := len(s) - len(t)
	u := strings.TrimRight(t, " ")
	return strings.Repeat("␣", lead) + u + strings.Repeat("␣", len(t)-len(u))
}

func plotTitle(s *query.Plot, spec *plotSpec, n int) string {
	what := "rows"
	switch {
	case s.Nearest != nil:
		what = "NEAREST (" + exprList(s.Nearest.Args) + ")"
	case s.Words != nil:
		what = "WORDS"
	}
	return fmt.Sprintf("%s: %s, %d points, %s", s.Table.Name, what, n, methodName(spec.method))
}

// methodName is how titles and errors name a projection.
func methodName(m string) string {
	switch m {
	case "tsne":
		return "t-SNE"
	case "umap":
		return "UMAP"
	}
	return "PCA"
}

func exprList(xs []query.Expr) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = query.Shorten(x.String())
	}
	return strings.Join(parts, ", ")
}
