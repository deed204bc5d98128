package exec

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/plot"
	"github.com/embeddb/embeddb/query"
)

// plotColumnValues reads the user column PLOT colours by (spec.color) for
// the rows drawn, in drawing order; nil stands for NULL.
func (e *env) plotColumnValues(tn *query.TableName, spec *plotSpec, ids []int64) ([]any, error) {
	vals := make([]any, len(ids))
	err := e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, tn)
		if err != nil {
			return err
		}
		i := t.ColumnIndex(spec.color)
		if i < 0 || t.Columns()[i].Type == store.ColJSON {
			return plan.ErrAt(spec.colorAt, nil, "color must be 'cluster', 'count', 'id' or 'none'%s, found %s",
				colorColumnsHint(t), query.QuoteString(spec.color))
		}
		r, err := t.ColumnReader(spec.color)
		if err != nil {
			return err
		}
		for j, id := range ids {
			if vals[j], err = r.Value(uint32(id)); err != nil {
				return plan.At(tn, err)
			}
		}
		return nil
	})
	return vals, err
}

// colorColumnsHint names the columns of t that PLOT can colour by.
func colorColumnsHint(t *store.Table) string {
	var names []string
	for _, c := range t.Columns() {
		if c.Type != store.ColJSON {
			names = append(names, c.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " or a column of " + t.Name() + " (" + strings.Join(names, ", ") + ")"
}

// columnColors colours points by a column's values: numbers and booleans
// on the colour scale, text by category (first seen, first colour); a NULL
// is drawn as a value missing from the scale.
func columnColors(name string, vals []any) ([]color.RGBA, []plot.LegendItem) {
	if slices.ContainsFunc(vals, func(v any) bool { _, ok := v.(string); return ok }) {
		return textColors(name, vals)
	}
	nums := make([]float64, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case int64:
			nums[i] = float64(x)
		case float64:
			nums[i] = x
		case bool:
			nums[i] = map[bool]float64{false: 0, true: 1}[x]
		default:
			nums[i] = math.NaN()
		}
	}
	colors, legend := plot.ScaleColors(nums, false)
	for i := range legend {
		legend[i].Text = name + " " + legend[i].Text
	}
	return colors, legend
}

// textColors gives each distinct text its own colour of the palette (the
// palette repeats past its length) and a legend entry for each colour.
func textColors(name string, vals []any) ([]color.RGBA, []plot.LegendItem) {
	cats := make([]int, len(vals))
	seen := map[string]int{}
	var legend []plot.LegendItem
	for i, v := range vals {
		s := fmt.Sprint(v)
		if v == nil {
			s = "NULL"
		}
		c, ok := seen[s]
		if !ok {
			c = len(seen)
			seen[s] = c
			if c < len(plot.Palette) {
				legend = append(legend, plot.LegendItem{Color: plot.Palette[c], Text: name + " " + s})
			}
		}
		cats[i] = c
	}
	return plot.CategoryColors(cats), legend
}
