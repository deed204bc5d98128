package db_test

import (
	"context"
	"errors"
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// plotDB is a table of 60 words in three groups of 20, around three
// directions, with counts 1..60.
func plotDB(t *testing.T) *db.DB {
	t.Helper()
	d := MustOpenDB(t)
	mustExec(t, d, "CREATE TABLE w (dim = 4)")
	rng := rand.New(rand.NewPCG(3, 3))
	var sb strings.Builder
	sb.WriteString("INSERT INTO w (word, count, vector) VALUES ")
	for i := 0; i < 60; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		v := [4]float64{0.05 * rng.NormFloat64(), 0.05 * rng.NormFloat64(), 0.05 * rng.NormFloat64(), 0.05 * rng.NormFloat64()}
		v[i/20] += 1
		sb.WriteString("('w" + itoa(i) + "', " + itoa(i+1) + ", [")
		for j, x := range v {
			if j > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(strconvFloat32(float32(x)))
		}
		sb.WriteString("])")
	}
	mustExec(t, d, sb.String())
	return d
}

func TestExec_Plot(t *testing.T) {
	d := plotDB(t)
	dir := t.TempDir()
	t.Run("Words", func(t *testing.T) {
		path := filepath.Join(dir, "map.svg")
		res := mustExec(t, d, "PLOT w WORDS ('w3', 'w25', 'w47', 'w3') TO ?", path)
		if got := strings.Join(res.Columns, ","); got != "word,x,y" {
			t.Errorf("columns = %s, want word,x,y", got)
		}
		if len(res.Rows) != 3 || res.Rows[0][0] != "w3" || res.Rows[1][0] != "w25" || res.Rows[2][0] != "w47" {
			t.Fatalf("rows = %v, want w3, w25, w47 in order", res.Rows)
		}
		svg, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{">w3</text>", ">w25</text>", ">w47</text>"} {
			if !strings.Contains(string(svg), w) {
				t.Errorf("map.svg lacks the label %s", w)
			}
		}
	})
	t.Run("NearestTSNE", func(t *testing.T) {
		path := filepath.Join(dir, "n.png")
		res := mustExec(t, d, "PLOT w NEAREST ('w5', 15) TO ? WITH (method = 'tsne', perplexity = 5, seed = 1)", path)
		if len(res.Rows) != 16 || res.Rows[0][0] != "w5" {
			t.Fatalf("rows = %v, want w5 then its 15 neighbours", res.Rows)
		}
		// t-SNE keeps the group: the query's neighbours are its own group's
		// words (w0..w19), and they all sit nearer to w5 than the far ones.
		for _, r := range res.Rows {
			var n int
			if _, err := fmt.Sscan(r[0].(string)[1:], &n); err != nil || n >= 20 {
				t.Errorf("neighbour %v is not in w5's group", r[0])
			}
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := png.Decode(f); err != nil {
			t.Errorf("n.png is not a PNG: %v", err)
		}
		again := mustExec(t, d, "PLOT w NEAREST ('w5', 15) WITH (method = 'tsne', perplexity = 5, seed = 1)")
		if fmtAny(again.Rows) != fmtAny(res.Rows) {
			t.Errorf("a second run gave other coordinates")
		}
	})
	t.Run("NearestUMAP", func(t *testing.T) {
		path := filepath.Join(dir, "u.svg")
		res := mustExec(t, d, "PLOT w NEAREST ('w45', 20) TO ? WITH (method = 'umap', n_neighbors = 5, min_dist = 0.2, seed = 3)", path)
		if len(res.Rows) != 21 || res.Rows[0][0] != "w45" {
			t.Fatalf("rows = %v, want w45 then its 20 neighbours", res.Rows)
		}
		svg, _ := os.ReadFile(path)
		if !strings.Contains(string(svg), "21 points, UMAP") {
			t.Errorf("u.svg's title does not name UMAP:\n%.600s", svg)
		}
		again := mustExec(t, d, "PLOT w NEAREST ('w45', 20) WITH (method = 'umap', n_neighbors = 5, min_dist = 0.2, seed = 3)")
		if fmtAny(again.Rows) != fmtAny(res.Rows) {
			t.Errorf("a second run gave other coordinates")
		}
		// All 60 rows: UMAP keeps the three groups apart, each point's
		// nearest point on the map being of its own group.
		all := mustExec(t, d, "PLOT w WITH (method = 'umap', seed = 1)")
		for i, r := range all.Rows {
			best, bd := -1, 0.0
			for j, q := range all.Rows {
				dx, dy := r[1].(float64)-q[1].(float64), r[2].(float64)-q[2].(float64)
				if j != i && (best < 0 || dx*dx+dy*dy < bd) {
					best, bd = j, dx*dx+dy*dy
				}
			}
			if best/20 != i/20 {
				t.Errorf("%v's nearest point on the map, %v, is of another group", r[0], all.Rows[best][0])
			}
		}
	})
	t.Run("WhereLimitCluster", func(t *testing.T) {
		res := mustExec(t, d, "PLOT w WHERE count > 10 LIMIT 30 WITH (method = 'pca', labels = 'none', color = 'cluster', clusters = 3)")
		if len(res.Rows) != 30 || strings.Join(res.Columns, ",") != "word,x,y,cluster" {
			t.Fatalf("got %d rows of %v, want 30 of word,x,y,cluster", len(res.Rows), res.Columns)
		}
		// w10..w39: w10..w19 are group 0, w20..w39 group 1; k-means with 3
		// clusters must not mix the two groups.
		byGroup := map[int]map[int64]bool{0: {}, 1: {}}
		for i, r := range res.Rows {
			byGroup[(i+10)/20][r[3].(int64)] = true
		}
		for c := range byGroup[0] {
			if byGroup[1][c] {
				t.Errorf("cluster %d holds words of both groups: %v", c, res.Rows)
			}
		}
	})
	t.Run("ColorCountSVG", func(t *testing.T) {
		path := filepath.Join(dir, "c.svg")
		mustExec(t, d, "PLOT w TO ? WITH (color = 'count', title = 'counts', width = 500, height = 400)", path)
		svg, _ := os.ReadFile(path)
		if !strings.Contains(string(svg), `width="500" height="400"`) || !strings.Contains(string(svg), ">counts</text>") ||
			!strings.Contains(string(svg), ">count 60</text>") {
			t.Errorf("c.svg lacks the size, title or legend:\n%.600s", svg)
		}
	})
}

func TestExec_PlotErrors(t *testing.T) {
	d := plotDB(t)
	dir := t.TempDir()
	tests := []struct{ sql, want string }{
		{"PLOT w WORDS ('w1', 'nope')", `1:21: word "nope" is not in table "w"`},
		{"PLOT nope", `1:6: unknown table "nope"`},
		{"PLOT w TO '" + dir + "/x.txt'", "PLOT writes .svg or .png files"},
		{"PLOT w WITH (method = 'mds')", "method must be 'pca', 'tsne' or 'umap'"},
		{"PLOT w WITH (n_neighbors = 5)", "n_neighbors is a UMAP option: add method = 'umap'"},
		{"PLOT w WITH (method = 'tsne', min_dist = 0.5)", "min_dist is a UMAP option"},
		{"PLOT w WITH (init = 'random')", "init is a t-SNE and UMAP option"},
		{"PLOT w WITH (method = 'umap', min_dist = 2)", "min_dist must be below spread (1)"},
		{"PLOT w WITH (method = 'umap', n_neighbors = 1)", "n_neighbors must be an integer from 2 to 200"},
		{"PLOT w WITH (perplexity = 5)", "perplexity is a t-SNE option"},
		{"PLOT w WITH (method = 'tsne', perplexity = 100)", "perplexity must be positive and below the number of points (60)"},
		{"PLOT w WITH (clusters = 3)", "clusters goes with color = 'cluster'"},
		{"PLOT w WITH (color = 'vector')", "color must be 'cluster', 'count', 'id' or 'none'"},
		{"PLOT w WITH (colour = 'id')", `unknown option "colour" for PLOT`},
		{"PLOT w WHERE count > 1000", "PLOT found no rows to draw"},
		{"PLOT w TO '" + dir + "/no/such/dir/x.svg'", "cannot write"},
	}
	for _, tc := range tests {
		t.Run(tc.sql, func(t *testing.T) {
			_, err := d.Exec(context.Background(), tc.sql)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Exec(%q) error = %v, want it to contain %q", tc.sql, err, tc.want)
			}
			var qe *query.Error
			if !errors.As(err, &qe) || !qe.Pos.IsValid() {
				t.Errorf("Exec(%q) error %v has no position", tc.sql, err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x.txt")); err == nil {
		t.Errorf("a failed PLOT left a file")
	}
}

// TestExec_PlotTokenizer: the labels of a table with a tokenizer are the
// decoded tokens, while the rows keep the vocabulary's spelling.
func TestExec_PlotTokenizer(t *testing.T) {
	shared := sharedTestdata(t)
	path, _ := writeMatrix(t, t.TempDir(), 151936, 4)
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT qwen FROM ? WITH (tensor = 'model.embed_tokens.weight', tokenizer = ?)",
		path, filepath.Join(shared, "qwen", "tokenizer.json"))
	svg := filepath.Join(t.TempDir(), "q.svg")
	res := mustExec(t, d, "PLOT qwen WORDS ('ä½łå¥½', 'Hi', 'Ġworld') TO ?", svg)
	if res.Rows[0][0] != "ä½łå¥½" {
		t.Errorf("row word = %v, want the vocabulary's spelling", res.Rows[0][0])
	}
	b, _ := os.ReadFile(svg)
	for _, want := range []string{">你好</text>", ">Hi</text>", ">␣world</text>"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("q.svg lacks the decoded label %s", want)
		}
	}
}

// TestPlot_ColorByColumn colours a map by a user column: an INTEGER one on
// the colour scale, a TEXT one by category, each named in the legend; a
// name that is no column is refused with the columns it could be.
func TestPlot_ColorByColumn(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, `CREATE TABLE docs (dim = 3, year INTEGER, cat TEXT);
		INSERT INTO docs (word, year, cat, vector) VALUES
			('a', 2020, 'x', [1, 0, 0]), ('b', 2021, 'y', [0, 1, 0]), ('c', 2020, 'x', [0, 0, 1]), ('d', 2022, NULL, [1, 1, 0])`)
	dir := t.TempDir()
	for col, want := range map[string][]string{"year": {"year 2020", "year 2022"}, "cat": {"cat x", "cat y", "cat NULL"}} {
		path := filepath.Join(dir, col+".svg")
		mustExec(t, d, "PLOT docs WHERE year > 0 LIMIT 10 TO ? WITH (method = 'pca', color = ?)", path, col)
		svg, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(string(svg), w) {
				t.Errorf("color = %q: the legend lacks %q", col, w)
			}
		}
	}
	cat, err := os.ReadFile(filepath.Join(dir, "cat.svg"))
	if err != nil {
		t.Fatal(err)
	}
	fills := regexp.MustCompile(`fill="#[0-9a-f]{6}"`).FindAllString(string(cat), -1)
	fills = slices.DeleteFunc(fills, func(f string) bool { return f == `fill="#ffffff"` }) // the background
	if n := len(slices.Compact(slices.Sorted(slices.Values(fills)))); n != 3 {
		t.Errorf("color = 'cat' drew %d distinct point colours, want 3 (x, y, NULL)", n)
	}
	_, err = d.Exec(t.Context(), "PLOT docs WITH (color = 'yeer')")
	if err == nil || !strings.Contains(err.Error(), "a column of docs (year, cat), found 'yeer'") {
		t.Errorf("color = 'yeer': %v", err)
	}
}
