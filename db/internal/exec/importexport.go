package exec

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/embeddb/embeddb/db/internal/plan"

	"github.com/embeddb/embeddb/db/columnar"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/db/vecfile"
	"github.com/embeddb/embeddb/internal/osfile"
	"github.com/embeddb/embeddb/query"
)

var importOptions = []string{"format", "binary", "limit", "unicode_errors", "duplicates", "tensor",
	"tokenizer", "words", "type", "metric", "replace"}

func init() { handle((*env).importStmt) }

// importStmt runs IMPORT t FROM 'file' WITH (...): load a matrix made by
// another tool into a new table, atomically.
func (e *env) importStmt(s *query.Import) (*Rows, error) {
	if rows, handled, err := e.importFastTextBin(s); handled {
		return rows, err
	}
	if rows, handled, err := e.importRecords(s); handled { // JSON Lines, CSV: records.go
		return rows, err
	}
	path, err := e.stringArg(s.File, "the file to import")
	if err != nil {
		return nil, err
	}
	if f := e.columnarFormat(path, s.Options); f != columnar.FormatNone {
		return e.importColumnar(s, path, f)
	}
	fo, nodes, err := e.fileOptions(s.Options, "IMPORT", importOptions)
	if err != nil {
		return nil, err
	}
	ropts := readOptions(fo)
	tokPath, metric, elem, replace := fo.tokenizer, fo.metric, fo.elem, fo.replace
	if replace {
		opt := nodes["replace"]
		if err := e.checkKeepColumns(s.Table, &opt); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	r, err := vecfile.Open(path, ropts)
	if err != nil {
		return nil, fileError(s.File, path, err)
	}
	defer r.Close()
	hdr := r.Header()

	tok, tokBytes, err := readTokenizer(tokPath, nodes)
	if err != nil {
		return nil, err
	}
	if tok != nil && hdr.Rows >= 0 {
		if err := checkTokenizerRows(nodes["tokenizer"].Value, tok, tokPath, fileRows(hdr, ropts), path); err != nil {
			return nil, err
		}
	}
	spec := importSpec(path, hdr, ropts, tokPath, metric, elem)
	w, err := e.startImport(s, spec, replace, fromFileDType(hdr.DType))
	if err != nil {
		return nil, err
	}
	defer w.Abort()

	prog := newThrottle(e.ctx)
	err = e.importRows(r, w, tok, spec.Elem, s.Table.Name, prog, start)
	if err != nil {
		return nil, fileError(s.File, path, err)
	}
	if tok != nil && hdr.Rows < 0 { // a format without a row count
		if err := checkTokenizerRows(nodes["tokenizer"].Value, tok, tokPath, w.Rows(), path); err != nil {
			return nil, err
		}
	}
	rst, err := sealImport(s, w, r, tokBytes, path)
	if err != nil {
		return nil, err
	}
	info, err := w.Commit()
	if errors.Is(err, store.ErrWordExists) && ropts.Duplicates == vecfile.DuplicatesUnchecked {
		err = findDuplicate(e, path, ropts, err)
	}
	if err != nil {
		return nil, fileError(s.File, path, err)
	}
	prog.report(Progress{Op: "import", Table: s.Table.Name, Phase: "done", Done: info.Rows, Total: info.Rows, Unit: "rows"}, true)
	return newRows([]string{"table", "rows", "dim", "type", "format", "skipped", "seconds"}, [][]any{{
		s.Table.Name, info.Rows, int64(info.Dim), info.Elem.String(), hdr.Format.String(), rst.Duplicates,
		roundTo(time.Since(start).Seconds(), 3)}}), nil
}

// startImport starts the bulk load of IMPORT s into a table made by spec,
// replacing the table if replace; fileElem is the file's element type.
func (e *env) startImport(s *query.Import, spec store.TableSpec, replace bool, fileElem store.ElemType) (*store.BulkWriter, error) {
	w, err := e.st.BulkLoad(e.ctx, s.Table.Name, spec, &store.BulkOptions{Replace: replace, KeepColumns: true})
	if errors.Is(err, store.ErrTableExists) {
		return nil, plan.ErrAt(s.Table, store.ErrTableExists, "table %s already exists (IMPORT ... WITH (replace = true) replaces it)", store.Quote(s.Table.Name))
	}
	if err != nil {
		return nil, plan.At(s.Table, err)
	}
	// The reader counts NaN and Inf as it parses; refused by sealImport,
	// before Commit.
	store.SetFiniteChecked(w, spec.Elem == fileElem)
	return w, nil
}

// sealImport finishes IMPORT s's load into w of the file at path, read by
// r, before it commits: the tokenizer kept with the table, and the
// non-finite values the reader counted refused. It returns the reader's
// counts.
func sealImport(s *query.Import, w *store.BulkWriter, r *vecfile.Reader, tokBytes []byte, path string) (vecfile.Stats, error) {
	if tokBytes != nil {
		if err := w.SetBlob(store.BlobTokenizer, strings.NewReader(string(tokBytes))); err != nil {
			return vecfile.Stats{}, plan.At(s, err)
		}
	}
	rst := r.Stats()
	if rst.NonFinite > 0 {
		return rst, plan.ErrAt(s.File, store.ErrInvalidVector, "%s: row %d holds NaN or an infinity (%d non-finite values in the file); embeddb stores finite vectors only",
			path, rst.FirstNonFinite+1, rst.NonFinite)
	}
	return rst, nil
}

// readOptions are the reader's options for IMPORT's bound options.
func readOptions(fo *fileOpts) vecfile.ReadOptions {
	ropts := vecfile.ReadOptions{Format: fo.format, Binary: fo.binary, Limit: fo.limit,
		UnicodeErrors: fo.unicodeErrors, Duplicates: fo.duplicates, Tensor: fo.tensor, WordsPath: fo.words}
	if ropts.Duplicates == vecfile.DuplicatesError {
		// The table's words are sorted at Commit, which finds a repeated
		// word anyway; only then is the file read again to say where.
		ropts.Duplicates = vecfile.DuplicatesUnchecked
	}
	return ropts
}

// fileRows is how many rows IMPORT reads of a file of hdr.Rows rows.
func fileRows(hdr vecfile.Header, ropts vecfile.ReadOptions) int64 {
	rows := int64(hdr.Rows)
	if ropts.Limit > 0 {
		rows = min(rows, int64(ropts.Limit))
	}
	return rows
}

// readTokenizer reads and parses IMPORT's tokenizer file, if one is given.
func readTokenizer(tokPath string, nodes map[string]query.Option) (*store.BPETokenizer, []byte, error) {
	if tokPath == "" {
		return nil, nil, nil
	}
	tokBytes, err := osfile.ReadRegularFile(tokPath)
	err = osfile.WithReason(err, "IMPORT reads only regular files, since a pipe with no writer would hold the statement for ever")
	if err != nil {
		return nil, nil, plan.ErrAt(nodes["tokenizer"].Value, err, "cannot read tokenizer: %v", err)
	}
	tok, err := store.LoadTokenizer(tokBytes)
	if err != nil {
		return nil, nil, plan.ErrAt(nodes["tokenizer"].Value, err, "%s: %v", tokPath, err)
	}
	return tok, tokBytes, nil
}

// importSpec is the table IMPORT makes of the file that hdr describes.
func importSpec(path string, hdr vecfile.Header, ropts vecfile.ReadOptions, tokPath, metric string, elem *store.ElemType) store.TableSpec {
	spec := store.TableSpec{Dim: hdr.Dim, Elem: fromFileDType(hdr.DType), Metric: metric, Kind: "imported",
		Provenance: map[string]any{"source": "import", "file": path, "format": hdr.Format.String()}}
	if elem != nil {
		spec.Elem = *elem
	}
	if ropts.Tensor != "" {
		spec.Provenance["tensor"] = ropts.Tensor
	}
	if tokPath != "" {
		spec.Provenance["tokenizer"] = tokPath
	}
	if ropts.Limit > 0 {
		spec.Provenance["limit"] = int64(ropts.Limit)
	}
	return spec
}

// importRows reads the rows of r into w, as the table stores elem, and
// reports progress.
func (e *env) importRows(r *vecfile.Reader, w *store.BulkWriter, tok *store.BPETokenizer, elem store.ElemType,
	table string, prog *throttle, start time.Time) error {
	hdr := r.Header()
	fileElem := fromFileDType(hdr.DType)
	var vecs []float32
	var words []string
	return r.Read(e.ctx, func(b *vecfile.Batch) error {
		n := len(b.Data) / (hdr.Dim * hdr.DType.Size())
		words = b.Words
		if words == nil {
			words = make([]string, n)
			if tok != nil {
				for i := range words {
					words[i] = tok.TokenText(b.Start + i)
				}
			}
		}
		if elem == fileElem {
			if err := w.AppendRaw(words, nil, b.Data); err != nil {
				return err
			}
		} else {
			if cap(vecs) < n*hdr.Dim {
				vecs = make([]float32, n*hdr.Dim)
			}
			vecs = vecs[:n*hdr.Dim]
			store.DecodeVector(vecs, b.Data, fileElem)
			if err := w.Append(words, nil, vecs); err != nil {
				return err
			}
		}
		p := Progress{Op: "import", Table: table, Phase: "reading", Done: w.Rows(), Unit: "rows"}
		if hdr.Rows > 0 {
			p.Total = int64(hdr.Rows)
		}
		if el := time.Since(start).Seconds(); el > 0 {
			p.Rate = float64(p.Done) / el
			if p.Total > 0 && p.Rate > 0 {
				p.ETA = time.Duration(float64(p.Total-p.Done) / p.Rate * float64(time.Second))
			}
		}
		prog.report(p, false)
		return nil
	})
}

// findDuplicate reads the file at path again, looking for repeated words,
// to turn found (a repeated word found among the rows) into an error that
// says on which lines, or at which byte offsets, the word occurs.
func findDuplicate(e *env, path string, ropts vecfile.ReadOptions, found error) error {
	ropts.Duplicates = vecfile.DuplicatesError
	r, err := vecfile.Open(path, ropts)
	if err != nil {
		return found
	}
	defer r.Close()
	if err := r.Read(e.ctx, func(*vecfile.Batch) error { return nil }); errors.Is(err, vecfile.ErrDuplicate) {
		return err
	}
	return found
}

// fileError positions an error about a file at the statement's file
// argument; the message names the file (and line or offset, which
// vecfile's errors carry).
func fileError(n query.Node, path string, err error) error {
	var qe *query.Error
	if errors.As(err, &qe) {
		return err
	}
	msg := err.Error()
	var fe *vecfile.FormatError
	if !errors.As(err, &fe) && !strings.Contains(msg, path) {
		msg = path + ": " + msg
	}
	return plan.ErrAt(n, err, "%s", trimPrefix(msg, "vecfile: "))
}

func fromFileDType(t vecfile.DType) store.ElemType {
	switch t {
	case vecfile.Float16:
		return store.Float16
	case vecfile.BFloat16:
		return store.BFloat16
	}
	return store.Float32
}

func toFileDType(t store.ElemType) vecfile.DType {
	switch t {
	case store.Float16:
		return vecfile.Float16
	case store.BFloat16:
		return vecfile.BFloat16
	}
	return vecfile.Float32
}

var exportOptions = []string{"format", "binary", "type", "words", "tensor", "overwrite"}

func init() { handle((*env).exportStmt) }

// exportStmt runs EXPORT t TO 'file' WITH (...): write the table's rows, in
// id order, for other tools. The file appears only when complete.
func (e *env) exportStmt(s *query.Export) (*Rows, error) {
	if rows, handled, err := e.exportFastTextBin(s); handled {
		return rows, err
	}
	if rows, handled, err := e.exportRecords(s); handled { // JSON Lines, CSV: records.go
		return rows, err
	}
	path, err := e.stringArg(s.File, "the file to export to")
	if err != nil {
		return nil, err
	}
	if f := e.columnarFormat(path, s.Options); f != columnar.FormatNone {
		return e.exportColumnar(s, path, f)
	}
	fo, _, err := e.fileOptions(s.Options, "EXPORT", exportOptions)
	if err != nil {
		return nil, err
	}
	wopts := vecfile.WriteOptions{Format: fo.format, Binary: fo.binary, WordsPath: fo.words, Tensor: fo.tensor,
		Overwrite: fo.overwrite}
	var dtype *vecfile.DType
	if fo.elem != nil {
		ft := toFileDType(*fo.elem)
		dtype = &ft
	}
	start := time.Now()
	var rows int64
	var format vecfile.Format
	err = e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		wopts.DType = exportDType(path, wopts.Format, dtype, t.Elem())
		for _, p := range []string{path, wopts.WordsPath} {
			if err := e.refuseOpenDB(s.File, p); err != nil {
				return err
			}
		}
		fw, err := vecfile.Create(path, int(t.Rows()), t.Dim(), wopts)
		if errors.Is(err, fs.ErrExist) {
			return plan.ErrAt(s.File, err, "%s; EXPORT ... WITH (overwrite = true) replaces it",
				trimPrefix(err.Error(), "vecfile: "))
		}
		if err != nil {
			return fileError(s.File, path, err)
		}
		defer fw.Abort()
		for _, p := range fw.Paths() {
			if err := e.refuseOpenDB(s.File, p); err != nil {
				return err
			}
		}
		format = fw.Format()
		rows, err = e.exportRows(t, fw)
		if err == nil {
			err = fw.Close()
		}
		if err != nil {
			return fileError(s.File, path, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return newRows([]string{"table", "file", "rows", "format", "seconds"}, [][]any{{
		s.Table.Name, path, rows, format.String(), roundTo(time.Since(start).Seconds(), 3)}}), nil
}

// exportDType is the element type EXPORT writes: the one asked for, or the
// table's own into a format that keeps it (NumPy has no bfloat16), or
// float32.
func exportDType(path string, format vecfile.Format, asked *vecfile.DType, elem store.ElemType) vecfile.DType {
	if asked != nil {
		return *asked
	}
	if format == vecfile.NPY || format == vecfile.Safetensors ||
		strings.HasSuffix(path, ".npy") || strings.HasSuffix(path, ".safetensors") {
		dt := toFileDType(elem)
		if dt == vecfile.BFloat16 && (format == vecfile.NPY || strings.HasSuffix(path, ".npy")) {
			return vecfile.Float32 // NumPy has no bfloat16
		}
		return dt
	}
	return vecfile.Float32
}

// exportRows writes every row of t to fw, in batches, reporting progress;
// it returns how many it wrote.
func (e *env) exportRows(t *store.Table, fw *vecfile.Writer) (int64, error) {
	var rows int64
	prog := newThrottle(e.ctx)
	const batch = 4096
	words := make([]string, 0, batch)
	vecs := make([]float32, 0, batch*t.Dim())
	flush := func() error {
		if len(words) == 0 {
			return nil
		}
		if err := fw.Write(words, vecs); err != nil {
			return err
		}
		rows += int64(len(words))
		words, vecs = words[:0], vecs[:0]
		prog.report(Progress{Op: "export", Table: t.Name(), Phase: "writing", Done: rows, Total: t.Rows(), Unit: "rows"}, false)
		return nil
	}
	err := t.ForEachRow(0, true, func(r store.Row) error {
		words = append(words, r.Word)
		vecs = append(vecs, r.Vector...)
		if len(words) == batch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return rows, err
}

// fileOpts are the WITH options of IMPORT and EXPORT.
type fileOpts struct {
	format        vecfile.Format
	binary        bool
	limit         int
	unicodeErrors string
	duplicates    vecfile.Duplicates
	tensor        string
	tokenizer     string
	words         string
	elem          *store.ElemType
	metric        string
	replace       bool
	overwrite     bool
}

// fileOptions evaluates and checks the WITH options of stmt (IMPORT or
// EXPORT), which takes the options named in known.
func (e *env) fileOptions(opts []query.Option, stmt string, known []string) (*fileOpts, map[string]query.Option, error) {
	vals, nodes, err := e.options(opts)
	if err != nil {
		return nil, nil, err
	}
	fo := &fileOpts{}
	for name, v := range vals {
		o := nodes[name]
		if !slices.Contains(known, name) {
			return nil, nil, unknownOption(o, stmt, known)
		}
		bad := func(want string) error { return plan.ErrAt(&o, nil, "%s must be %s, found %s", name, want, shown(v)) }
		str, isStr := v.(string)
		switch name {
		case "format":
			f, err := vecfile.ParseFormat(str)
			if !isStr || err != nil {
				return nil, nil, bad("word2vec, glove, fasttext, npy, safetensors, parquet, arrow, spark, jsonl or csv")
			}
			fo.format = f
		case "binary", "replace", "overwrite":
			b, err := parseBool(v)
			if err != nil {
				return nil, nil, bad("true or false")
			}
			switch name {
			case "binary":
				fo.binary = b
			case "replace":
				fo.replace = b
			default:
				fo.overwrite = b
			}
		case "limit":
			n, ok := toInt(v)
			if !ok || n < 0 || n > 1<<40 {
				return nil, nil, bad("a non-negative integer")
			}
			fo.limit = int(n)
		case "unicode_errors":
			if !isStr || (str != "strict" && str != "replace" && str != "ignore") {
				return nil, nil, bad("'strict', 'replace' or 'ignore'")
			}
			fo.unicodeErrors = str
		case "duplicates":
			d, err := vecfile.ParseDuplicates(str)
			if !isStr || err != nil {
				return nil, nil, bad("'error' or 'skip'")
			}
			fo.duplicates = d
		case "tensor", "tokenizer", "words":
			if !isStr {
				return nil, nil, bad("a string")
			}
			switch name {
			case "tensor":
				fo.tensor = str
			case "tokenizer":
				fo.tokenizer = str
			default:
				fo.words = str
			}
		case "type":
			t, err := store.ParseElemType(str)
			if !isStr || err != nil {
				return nil, nil, bad("float32, float16 or bfloat16")
			}
			fo.elem = &t
		case "metric":
			if _, err := store.ValidMetric(strings.ToLower(str)); !isStr || err != nil {
				return nil, nil, bad("cosine, dot or euclidean")
			}
			fo.metric = strings.ToLower(str)
		}
	}
	return fo, nodes, nil
}
