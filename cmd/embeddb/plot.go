package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/embeddb/embeddb/query"
)

// noteNearest remembers st when it is a NEAREST query, for .plot.
func (s *session) noteNearest(st query.Statement) {
	sel, ok := st.(*query.Select)
	if !ok || sel.From == nil || len(sel.Items) != 1 || sel.NumParams() > 0 {
		return
	}
	if c, ok := sel.Items[0].Expr.(*query.Call); ok && c.Name == "NEAREST" {
		s.lastNearest = sel
	}
}

// dotPlot runs .plot [FILE] [name=value...]: PLOT for the last NEAREST
// query, shown inline on a terminal that can show images, else written to
// FILE (plot-WORD.png by default) with a line saying where.
func dotPlot(s *session, ctx context.Context, args []string, _ source) (bool, error) {
	sel := s.lastNearest
	if sel == nil {
		return false, errors.New("no NEAREST query to plot yet: run one first, such as SELECT NEAREST('python', 30) FROM w2v;")
	}
	file := ""
	if len(args) > 0 && !strings.Contains(args[0], "=") {
		file, args = args[0], args[1:]
	}
	with, err := plotWith(args)
	if err != nil {
		return false, err
	}
	proto := imagesNone
	if s.screen != nil && s.redir == nil {
		proto = detectImages(os.Getenv)
	}
	temp := ""
	if file == "" {
		if proto != imagesNone {
			dir, err := os.MkdirTemp("", "embeddb-plot-")
			if err != nil {
				return false, err
			}
			defer os.RemoveAll(dir)
			temp = filepath.Join(dir, "plot.png")
			file = temp
		} else {
			file = defaultPlotFile(sel.Items[0].Expr.(*query.Call))
		}
	}
	call := sel.Items[0].Expr.(*query.Call)
	src := "PLOT " + sel.From.String() + " NEAREST (" + joinExprs(call.Args) + ")"
	if sel.Where != nil {
		src += " WHERE " + sel.Where.String()
	}
	src += " TO " + query.QuoteString(file) + with
	st, err := query.ParseStatement(src)
	if err != nil {
		return false, fmt.Errorf("%s: %w", src, err)
	}
	rows, err := s.exec(ctx, nil, st)
	var qe *query.Error
	if errors.As(err, &qe) {
		// The position is in the statement .plot made, not in what was typed.
		return false, fmt.Errorf("%s (running %s)", qe.Msg, src)
	}
	if err != nil {
		return false, err
	}
	rows.Close()
	if proto != imagesNone && strings.HasSuffix(strings.ToLower(file), ".png") {
		data, err := os.ReadFile(file)
		if err != nil {
			return false, err
		}
		s.flush()
		if err := writeImage(s.screen, proto, data); err != nil {
			return false, err
		}
		if temp == "" {
			fmt.Fprintf(s.out, "wrote %s\n", file)
		}
		return false, nil
	}
	fmt.Fprintf(s.out, "wrote %s\n", file)
	return false, nil
}

// plotWith turns name=value arguments into a WITH list: numbers, true and
// false, and quoted strings as written, other values as strings.
func plotWith(args []string) (string, error) {
	if len(args) == 0 {
		return "", nil
	}
	parts := make([]string, len(args))
	for i, a := range args {
		name, val, ok := strings.Cut(a, "=")
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		if !ok || name == "" || val == "" {
			return "", fmt.Errorf("options are name=value (method=tsne perplexity=10), found %q", a)
		}
		if _, err := strconv.ParseFloat(val, 64); err != nil && val != "true" && val != "false" && !strings.HasPrefix(val, "'") {
			val = query.QuoteString(val)
		}
		parts[i] = name + " = " + val
	}
	return " WITH (" + strings.Join(parts, ", ") + ")", nil
}

// defaultPlotFile is plot-WORD.png for NEAREST('WORD', ...), with only
// letters, digits, - and _ kept of the word; plot.png otherwise.
func defaultPlotFile(c *query.Call) string {
	if len(c.Args) > 0 {
		if lit, ok := c.Args[0].(*query.StringLit); ok {
			var b strings.Builder
			for _, r := range lit.Value {
				if r < 128 && (r == '-' || r == '_' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
					b.WriteRune(r)
				}
			}
			if b.Len() > 0 && b.Len() <= 64 {
				return "plot-" + b.String() + ".png"
			}
		}
	}
	return "plot.png"
}

func joinExprs(xs []query.Expr) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = x.String()
	}
	return strings.Join(parts, ", ")
}
