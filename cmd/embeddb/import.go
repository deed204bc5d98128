package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/embeddb/embeddb/db"
)

// importArgs are the arguments of .import.
type importArgs struct {
	file, table string
	format      string // "csv", "json" or "" (tell from the file)
	skip        int
}

func parseImportArgs(args []string) (importArgs, error) {
	var a importArgs
	var pos []string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--csv":
			a.format = "csv"
		case "--json", "--jsonl":
			a.format = "json"
		case "--skip":
			if i+1 == len(args) {
				return a, errors.New("--skip needs a number of records")
			}
			n, err := strconv.Atoi(args[i+1])
			if err != nil || n < 0 {
				return a, fmt.Errorf("--skip needs a number of records, found %q", args[i+1])
			}
			a.skip = n
			i++
		default:
			if strings.HasPrefix(args[i], "--") {
				return a, fmt.Errorf("unknown option %s (--csv, --json or --skip N)", args[i])
			}
			pos = append(pos, args[i])
		}
	}
	if len(pos) != 2 {
		return a, errors.New("usage: .import [--csv|--json] [--skip N] FILE TABLE")
	}
	a.file, a.table = pos[0], pos[1]
	return a, nil
}

// rowSource yields the rows of a file one at a time: next returns io.EOF
// at the end, and where says where the last row was, for messages.
type rowSource interface {
	next() (db.Row, error)
	where() string
}

func dotImport(s *session, ctx context.Context, args []string, _ source) (bool, error) {
	a, err := parseImportArgs(args)
	if err != nil {
		return false, err
	}
	f, err := os.Open(a.file)
	if err != nil {
		return false, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	format := a.format
	if format == "" {
		format = sniffFormat(br)
	}
	var src rowSource = newCSVRows(br, a.file, a.skip)
	if format == "json" {
		if src, err = newJSONRows(br, a.file, a.skip); err != nil {
			return false, err
		}
	}
	n, err := s.importRows(ctx, a, src)
	if err != nil {
		return false, err
	}
	s.total += n
	return false, nil
}

// sniffFormat tells JSON from CSV by the file's first character.
func sniffFormat(br *bufio.Reader) string {
	if b := firstByte(br); b == '{' || b == '[' {
		return "json"
	}
	return "csv"
}

// firstByte skips a UTF-8 byte-order mark, which neither format wants,
// and returns the first byte that is not white space (0 if none), without
// reading it.
func firstByte(br *bufio.Reader) byte {
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	for i := 1; i <= 4096; i++ {
		b, err := br.Peek(i)
		if err != nil {
			return 0
		}
		switch b[i-1] {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b[i-1]
	}
	return 0
}

// importRows inserts the rows of src into a.table, made if it does not
// exist, in one transaction: all of them or none.
func (s *session) importRows(ctx context.Context, a importArgs, src rowSource) (int64, error) {
	var n int64
	err := s.db.Update(ctx, func(tx *db.Tx) error {
		info, err := tx.Table(a.table)
		if err != nil && !errors.Is(err, db.ErrNoTable) {
			return err
		}
		for {
			r, err := src.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			if info == nil {
				if err := tx.CreateTable(a.table, db.TableSpec{Dim: len(r.Vector)}); err != nil {
					return fmt.Errorf("%s: %w", src.where(), err)
				}
				info = &db.TableInfo{Name: a.table, Dim: len(r.Vector)}
			}
			if len(r.Vector) != info.Dim {
				return fmt.Errorf("%s: the vector has %d values, table %s has dimension %d", src.where(), len(r.Vector), a.table, info.Dim)
			}
			// A row at a time, so that an error names its place.
			if err := tx.Insert(a.table, r); err != nil {
				return fmt.Errorf("%s: %w", src.where(), importError(r, a.table, err))
			}
			n++
		}
		return nil
	})
	return n, err
}

// importError says what went wrong with row r in words.
func importError(r db.Row, table string, err error) error {
	switch {
	case errors.Is(err, db.ErrWordExists):
		return fmt.Errorf("word %q is already in %s", r.Word, table)
	case errors.Is(err, db.ErrInvalidName) && r.Word == "":
		return errors.New("the word is empty")
	}
	return err
}

// csvRows reads rows from CSV records: word then vector, as "[a,b]" or
// as one field per value; or word, count, vector; or id, word, count,
// vector (as SELECT * writes them); or, after a first record of column
// names, the columns it names.
type csvRows struct {
	r    *csv.Reader
	name string
	line int
	cols map[string]int // from a header record; nil without one
	n    int
	skip int // records still to skip
}

func newCSVRows(r io.Reader, name string, skip int) *csvRows {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvRows{r: cr, name: name, skip: skip}
}

func (c *csvRows) where() string { return c.name + ":" + strconv.Itoa(c.line) }

func (c *csvRows) next() (db.Row, error) {
	rec, err := c.r.Read()
	if err != nil {
		if err == io.EOF {
			return db.Row{}, err
		}
		return db.Row{}, fmt.Errorf("%s: %w", c.name, err)
	}
	c.line, _ = c.r.FieldPos(0)
	if c.skip > 0 {
		c.skip--
		return c.next()
	}
	c.n++
	if c.n == 1 {
		if cols := headerColumns(rec); cols != nil {
			c.cols = cols
			return c.next()
		}
	}
	r, err := c.row(rec)
	if err != nil && c.n == 1 && c.cols == nil {
		return r, fmt.Errorf("%s: %w (if the first record names the columns, --skip 1 skips it)", c.where(), err)
	}
	if err != nil {
		return r, fmt.Errorf("%s: %w", c.where(), err)
	}
	return r, nil
}

// headerColumns returns where each column is if rec names columns (word
// among them), else nil.
func headerColumns(rec []string) map[string]int {
	cols := map[string]int{}
	for i, f := range rec {
		name := strings.ToLower(strings.TrimSpace(f))
		switch name {
		case "id", "word", "count", "vector":
			cols[name] = i
		default:
			return nil
		}
	}
	if _, ok := cols["word"]; !ok {
		return nil
	}
	return cols
}

func (c *csvRows) row(rec []string) (db.Row, error) {
	if c.cols != nil {
		return c.namedRow(rec)
	}
	n := len(rec)
	if n < 2 {
		return db.Row{}, fmt.Errorf("expected a word and a vector, found %d field(s)", n)
	}
	if !strings.HasPrefix(strings.TrimSpace(rec[n-1]), "[") {
		vec, err := parseValues(rec[1:])
		return db.Row{Word: rec[0], Vector: vec}, err
	}
	vec, err := parseVector(rec[n-1])
	if err != nil {
		return db.Row{}, err
	}
	r := db.Row{Vector: vec}
	switch n {
	case 2:
		r.Word = rec[0]
	case 3:
		r.Word, err = rec[0], parseCount(rec[1], &r.Count)
	case 4:
		r.Word, err = rec[1], parseCount(rec[2], &r.Count)
	default:
		err = fmt.Errorf("expected word, [count,] vector, found %d fields", n)
	}
	return r, err
}

func (c *csvRows) namedRow(rec []string) (db.Row, error) {
	field := func(name string) (string, bool) {
		i, ok := c.cols[name]
		if !ok || i >= len(rec) {
			return "", false
		}
		return rec[i], true
	}
	var r db.Row
	r.Word, _ = field("word")
	v, ok := field("vector")
	if !ok {
		return r, errors.New("no vector: the header names no vector column, or the record is short")
	}
	var err error
	if r.Vector, err = parseVector(v); err != nil {
		return r, err
	}
	if cnt, ok := field("count"); ok {
		err = parseCount(cnt, &r.Count)
	}
	return r, err
}

func parseCount(s string, n *int64) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return fmt.Errorf("the count must be a non-negative integer, found %q", s)
	}
	*n = v
	return nil
}

// parseVector reads "[0.1, 0.2]" (the brackets are optional).
func parseVector(s string) ([]float32, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("the vector is empty")
	}
	return parseValues(strings.Split(s, ","))
}

func parseValues(fields []string) ([]float32, error) {
	vec := make([]float32, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 32)
		if err != nil {
			return nil, fmt.Errorf("value %d of the vector is not a number: %q", i+1, strings.TrimSpace(f))
		}
		vec[i] = float32(v)
	}
	return vec, nil
}

// jsonRows reads rows from JSON objects, one a line or in one array:
// {"word": "cat", "count": 3, "vector": [0.1, 0.2]}; other keys (id,
// similarity) are ignored.
type jsonRows struct {
	dec   *json.Decoder
	name  string
	n     int
	array bool // the objects are in an array, whose '[' has been read
	skip  int  // records still to skip
}

// newJSONRows reads rows from br, which starts with an array or objects,
// after skipping skip of them.
func newJSONRows(br *bufio.Reader, name string, skip int) (*jsonRows, error) {
	j := &jsonRows{dec: json.NewDecoder(br), name: name, skip: skip}
	if firstByte(br) == '[' {
		if _, err := j.dec.Token(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		j.array = true
	}
	return j, nil
}

func (j *jsonRows) where() string { return fmt.Sprintf("%s: record %d", j.name, j.n) }

func (j *jsonRows) next() (db.Row, error) {
	if j.array && !j.dec.More() {
		return db.Row{}, io.EOF
	}
	if j.skip > 0 {
		j.skip--
		j.n++
		var skipped json.RawMessage
		if err := j.dec.Decode(&skipped); err != nil {
			if err == io.EOF {
				return db.Row{}, err
			}
			return db.Row{}, fmt.Errorf("%s: %w", j.where(), err)
		}
		return j.next()
	}
	var obj struct {
		Word   *string   `json:"word"`
		Count  int64     `json:"count"`
		Vector []float32 `json:"vector"`
	}
	j.n++
	if err := j.dec.Decode(&obj); err != nil {
		if err == io.EOF {
			return db.Row{}, err
		}
		return db.Row{}, fmt.Errorf("%s: %w", j.where(), err)
	}
	switch {
	case obj.Word == nil:
		return db.Row{}, fmt.Errorf("%s: the object has no word", j.where())
	case len(obj.Vector) == 0:
		return db.Row{}, fmt.Errorf("%s: the object has no vector", j.where())
	case obj.Count < 0:
		return db.Row{}, fmt.Errorf("%s: the count must be a non-negative integer, found %d", j.where(), obj.Count)
	}
	return db.Row{Word: *obj.Word, Count: obj.Count, Vector: obj.Vector}, nil
}
