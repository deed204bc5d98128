package exec

import (
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/embeddb/embeddb/db/columnar"
	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/db/vecfile"
	"github.com/embeddb/embeddb/query"
)

// The WITH options of IMPORT and EXPORT for Parquet, Arrow IPC and Spark.
var (
	columnarImportOptions = []string{"format", "vector", "key", "columns", "limit", "type", "metric", "replace", "duplicates"}
	columnarExportOptions = []string{"format", "type", "overwrite", "compression", "row_group_size"}
	// columnarOwn are the options this file reads itself; fileOptions
	// reads the others.
	columnarOwn = []string{"format", "vector", "key", "columns", "compression", "row_group_size"}
)

// columnarFormat returns the columnar format an IMPORT or EXPORT of path
// with opts means: the one its format option names, else the one its path
// suggests; FormatNone hands the statement to the vector file formats.
func (e *env) columnarFormat(path string, opts []query.Option) columnar.Format {
	for _, o := range opts {
		if o.Name != "format" {
			continue
		}
		v, err := e.optionValue(o)
		if s, ok := v.(string); ok && err == nil {
			f, _ := columnar.ParseFormat(s)
			return f
		}
		return columnar.FormatNone // fileOptions reports the bad value
	}
	return columnar.FromPath(path)
}

// columnarOpts are the options columnar statements read themselves.
type columnarOpts struct {
	vector, key, compression string
	groupRows                int
	columns                  *string // the columns to import; nil: all (columnar_cols.go)
}

// splitColumnarOptions reads the options in columnarOwn and returns the
// others, for fileOptions.
func (e *env) splitColumnarOptions(opts []query.Option, stmt string, known []string) (*columnarOpts, []query.Option, error) {
	co := &columnarOpts{}
	var rest []query.Option
	for _, o := range opts {
		if !slices.Contains(columnarOwn, o.Name) {
			rest = append(rest, o)
			continue
		}
		if !slices.Contains(known, o.Name) {
			return nil, nil, unknownOption(o, stmt, known)
		}
		v, err := e.optionValue(o)
		if err != nil {
			return nil, nil, err
		}
		str, isStr := v.(string)
		switch o.Name {
		case "format":
		case "columns":
			if !isStr {
				return nil, nil, plan.ErrAt(&o, nil, "columns must be a list of column names in one string, found %s", shown(v))
			}
			co.columns = &str
		case "row_group_size":
			n, ok := toInt(v)
			if !ok || n < 1 || n > 1<<24 {
				return nil, nil, plan.ErrAt(&o, nil, "row_group_size must be a positive number of rows, found %s", shown(v))
			}
			co.groupRows = int(n)
		default:
			if !isStr || str == "" {
				return nil, nil, plan.ErrAt(&o, nil, "%s must be a column name or compression, as a string, found %s", o.Name, shown(v))
			}
			switch o.Name {
			case "vector":
				co.vector = str
			case "key":
				co.key = str
			default:
				co.compression = str
			}
		}
	}
	return co, rest, nil
}

// importColumnar runs IMPORT t FROM 'file.parquet' (or an Arrow IPC file,
// or a Spark model directory): rows stream from the file into a new table.
func (e *env) importColumnar(s *query.Import, path string, format columnar.Format) (*Rows, error) {
	co, rest, err := e.splitColumnarOptions(s.Options, "IMPORT", columnarImportOptions)
	if err != nil {
		return nil, err
	}
	fo, _, err := e.fileOptions(rest, "IMPORT", columnarImportOptions)
	if err != nil {
		return nil, err
	}
	if !fo.replace && e.tableExists(s.Table.Name) {
		return e.appendColumnar(s, path, format, co, fo) // columnar_append.go
	}
	start := time.Now()
	r, err := columnar.Open(path, columnar.ReadOptions{Format: format, Vector: co.vector, Key: co.key, Limit: int64(fo.limit),
		Columns: columnChooser(co.columns, nil)})
	if err != nil {
		return nil, columnarError(s.File, path, err)
	}
	defer r.Close()
	hdr := r.Header()
	spec := columnarSpec(path, hdr, fo)
	spec.Columns = specColumns(hdr) // columnar_cols.go
	bo := &store.BulkOptions{Replace: fo.replace}
	if fo.duplicates == vecfile.DuplicatesSkip {
		bo.Duplicates = "first"
	}
	w, err := e.st.BulkLoad(e.ctx, s.Table.Name, spec, bo)
	if errors.Is(err, store.ErrTableExists) {
		return nil, plan.ErrAt(s.Table, store.ErrTableExists, "table %s already exists (IMPORT ... WITH (replace = true) replaces it)", store.Quote(s.Table.Name))
	}
	if err != nil {
		return nil, plan.At(s.Table, err)
	}
	defer w.Abort()
	fileElem := fromFileDType(hdr.Elem)
	prog := newThrottle(e.ctx)
	var vecs []float32
	err = r.Read(e.ctx, func(b *columnar.Batch) error {
		if spec.Elem == fileElem {
			// One pass over the batch rather than the loader's check of
			// each row; a batch with a NaN goes to the loader's, which
			// names the row.
			store.SetFiniteChecked(w, fileElem == store.Float32 && (b.Finite || columnar.AllFinite32(b.Data)))
			if err := w.AppendRawColumns(b.Words, b.Counts, b.Data, b.Columns); err != nil {
				return err
			}
		} else {
			vecs = slices.Grow(vecs[:0], len(b.Words)*hdr.Dim)[:len(b.Words)*hdr.Dim]
			store.DecodeVector(vecs, b.Data, fileElem)
			if err := w.AppendColumns(b.Words, b.Counts, vecs, b.Columns); err != nil {
				return err
			}
		}
		p := Progress{Op: "import", Table: s.Table.Name, Phase: "reading", Done: w.Rows(), Unit: "rows"}
		if hdr.Rows > 0 {
			p.Total = hdr.Rows
		}
		prog.report(p, false)
		return nil
	})
	if err != nil {
		return nil, columnarError(s.File, path, err)
	}
	info, err := w.Commit()
	if err != nil {
		return nil, columnarError(s.File, path, err)
	}
	prog.report(Progress{Op: "import", Table: s.Table.Name, Phase: "done", Done: info.Rows, Total: info.Rows, Unit: "rows"}, true)
	return newRows([]string{"table", "rows", "dim", "type", "format", "skipped", "seconds"}, [][]any{{
		s.Table.Name, info.Rows, int64(info.Dim), info.Elem.String(), format.String(), w.Skipped(),
		roundTo(time.Since(start).Seconds(), 3)}}), nil
}

// columnarSpec is the table an import of a file with header hdr makes. A
// file that embeddb wrote brings back its table's metric and element type
// (a bfloat16 table travels as float16).
func columnarSpec(path string, hdr columnar.Header, fo *fileOpts) store.TableSpec {
	spec := store.TableSpec{Dim: hdr.Dim, Elem: fromFileDType(hdr.Elem), Metric: fo.metric, Kind: "imported",
		Provenance: map[string]any{"source": "import", "file": path, "format": hdr.Format.String(), "vector": hdr.Vector}}
	if hdr.Key != "" {
		spec.Provenance["key"] = hdr.Key
	}
	if len(hdr.Ignored) > 0 {
		// Until tables have columns of their own, other columns are left
		// out; DESCRIBE says which.
		spec.Provenance["ignored_columns"] = strings.Join(hdr.Ignored, ", ")
	}
	if hdr.Count != "" {
		spec.Provenance["count"] = hdr.Count
	}
	if hdr.Spark != nil {
		spec.Provenance["spark"] = hdr.Spark
	}
	if fo.limit > 0 {
		spec.Provenance["limit"] = int64(fo.limit)
	}
	if m := hdr.Metadata[columnar.MetaMetric]; spec.Metric == "" && m != "" {
		if _, err := store.ValidMetric(m); err == nil {
			spec.Metric = m
		}
	}
	if t, err := store.ParseElemType(hdr.Metadata[columnar.MetaType]); err == nil && t == store.BFloat16 && hdr.Elem == vecfile.Float16 {
		spec.Elem = store.BFloat16
	}
	if fo.elem != nil {
		spec.Elem = *fo.elem
	}
	return spec
}

// exportColumnar runs EXPORT t TO 'file.parquet' (or .arrow, or a Spark
// model directory): rows stream from the table, in id order, to the file,
// which appears only when complete.
func (e *env) exportColumnar(s *query.Export, path string, format columnar.Format) (*Rows, error) {
	co, rest, err := e.splitColumnarOptions(s.Options, "EXPORT", columnarExportOptions)
	if err != nil {
		return nil, err
	}
	fo, nodes, err := e.fileOptions(rest, "EXPORT", columnarExportOptions)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	var rows int64
	err = e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		if err := e.refuseOpenDB(s.File, path); err != nil {
			return err
		}
		wo := columnar.WriteOptions{Format: format, Compression: co.compression, GroupRows: co.groupRows,
			Overwrite: fo.overwrite, Metadata: exportMetadata(t)}
		if t.Elem() != store.Float32 && format != columnar.Spark {
			wo.Elem = vecfile.Float16
		}
		if fo.elem != nil {
			wo.Elem = toFileDType(*fo.elem)
		}
		if format == columnar.Spark {
			wo.Spark = sparkParams(t.Provenance())
		} else {
			wo.Columns = exportColumns(t, wo.Metadata) // columnar_cols.go
		}
		fw, err := columnar.Create(path, t.Dim(), wo)
		if errors.Is(err, fs.ErrExist) {
			return plan.ErrAt(s.File, err, "%s; EXPORT ... WITH (overwrite = true) replaces it", err.Error())
		}
		if errors.Is(err, columnar.ErrInvalidOption) && nodes["type"].Value != nil {
			o := nodes["type"]
			return plan.ErrAt(&o, err, "%s", trimPrefix(err.Error(), "columnar: invalid option: "))
		}
		if err != nil {
			return columnarError(s.File, path, err)
		}
		defer fw.Abort()
		if err := e.writeColumnar(t, fw); err != nil {
			return columnarError(s.File, path, err)
		}
		rows = fw.Rows()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return newRows([]string{"table", "file", "rows", "format", "seconds"}, [][]any{{
		s.Table.Name, path, rows, format.String(), roundTo(time.Since(start).Seconds(), 3)}}), nil
}

// writeColumnar streams t's rows to fw, a storage chunk at a time, and
// closes it.
func (e *env) writeColumnar(t *store.Table, fw *columnar.Writer) error {
	prog := newThrottle(e.ctx)
	var ids []int64
	var cols [][]any
	var readers []*store.ColumnReader
	if fw.Format() != columnar.Spark {
		var err error
		if readers, err = columnReaders(t); err != nil {
			return err
		}
	}
	err := t.ForEachRowChunk(func(c *store.RowChunk) error {
		ids = ids[:0]
		for _, id := range c.IDs {
			ids = append(ids, int64(id))
		}
		var err error
		if cols, err = chunkColumns(readers, ids, cols); err != nil {
			return err
		}
		if err := fw.WriteColumns(c.Words, ids, c.Counts, c.Vecs, cols); err != nil {
			return err
		}
		prog.report(Progress{Op: "export", Table: t.Name(), Phase: "writing", Done: fw.Rows(), Total: t.Rows(), Unit: "rows"}, false)
		return e.ctx.Err()
	})
	if err == nil {
		err = fw.Close()
	}
	return err
}

// exportMetadata is the key-value metadata an exported file carries.
func exportMetadata(t *store.Table) map[string]string {
	md := map[string]string{
		columnar.MetaTable:  t.Name(),
		columnar.MetaDim:    strconv.Itoa(t.Dim()),
		columnar.MetaMetric: t.Metric(),
		columnar.MetaType:   t.Elem().String(),
	}
	if md[columnar.MetaMetric] == "" {
		md[columnar.MetaMetric] = "cosine"
	}
	if len(t.Provenance()) > 0 {
		if b, err := json.Marshal(t.Provenance()); err == nil {
			md[columnar.MetaProvenance] = string(b)
		}
	}
	return md
}

// sparkParams maps a trained table's gensim parameters to Spark's names.
func sparkParams(prov map[string]any) map[string]any {
	names := map[string]string{"window": "windowSize", "min_count": "minCount", "epochs": "maxIter",
		"seed": "seed", "alpha": "stepSize"}
	out := map[string]any{}
	for _, k := range slices.Sorted(maps.Keys(names)) {
		if v, ok := prov[k]; ok {
			if _, isNum := v.(string); !isNum {
				out[names[k]] = v
			}
		}
	}
	if strings.EqualFold(toString(prov["source"]), "train") {
		out["inputCol"], out["outputCol"] = "text", "vector"
	}
	return out
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

// columnarError is fileError for package columnar's errors, whose
// sentinel's text ("columnar: bad file: ") would only repeat what the
// message says.
func columnarError(n query.Node, path string, err error) error {
	msg := err.Error()
	for _, s := range []error{columnar.ErrFormat, columnar.ErrNoColumn, columnar.ErrInvalidOption, columnar.ErrRange} {
		msg = strings.TrimPrefix(msg, s.Error()+": ")
	}
	if !strings.Contains(msg, path) {
		msg = path + ": " + msg
	}
	return plan.ErrAt(n, err, "%s", msg)
}
