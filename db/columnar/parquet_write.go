//go:build !nocolumnar

package columnar

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"slices"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/embeddb/embeddb/internal/vec"
)

// The Parquet writer uses arrow-go's column writers directly (package
// parquet/file), not its Arrow adapter pqarrow: pqarrow imports Arrow
// Flight, gRPC and protobuf, which added some 15 MB to the binary, and
// converting each row group to Arrow arrays first cost time. The file is
// the one pqarrow wrote: the same Parquet schema, with the Arrow schema
// stored under ARROW:schema so that Arrow readers see a FixedSizeList.

// levelRows is the number of rows whose vector elements go to the column
// writer in one call; the level buffers hold levelRows × dim entries.
const levelRows = 1024

// parquetSchema is the Parquet schema of the written file: every column
// required, the vector a three-level LIST (as the Parquet spec and pqarrow
// write it) of float or float16 elements.
func (w *Writer) parquetSchema() (*schema.GroupNode, error) {
	req := parquet.Repetitions.Required
	word, err := schema.NewPrimitiveNodeLogical("word", req, schema.StringLogicalType{}, parquet.Types.ByteArray, -1, -1)
	if err != nil {
		return nil, err
	}
	fields := schema.FieldList{word}
	if w.opts.Format != Spark {
		for _, name := range []string{"id", "count"} {
			n, err := schema.NewPrimitiveNodeLogical(name, req, schema.NewIntLogicalType(64, true), parquet.Types.Int64, -1, -1)
			if err != nil {
				return nil, err
			}
			fields = append(fields, n)
		}
		cols, err := parquetFields(w.opts.Columns)
		if err != nil {
			return nil, err
		}
		fields = append(fields, cols...)
	}
	var elem schema.Node = schema.NewFloat32Node("element", req, -1)
	if w.opts.Elem == vec.Float16 {
		elem, err = schema.NewPrimitiveNodeLogical("element", req, schema.Float16LogicalType{}, parquet.Types.FixedLenByteArray, 2, -1)
		if err != nil {
			return nil, err
		}
	}
	list, err := schema.ListOfWithName("vector", elem, req, -1)
	if err != nil {
		return nil, err
	}
	fields = append(fields, list)
	return schema.NewGroupNode("schema", req, fields, -1)
}

// arrowSchemaMeta is the ARROW:schema value Arrow writers store: the
// schema as an Arrow IPC stream holding no batch, in base64.
func (w *Writer) arrowSchemaMeta() (string, error) {
	var buf bytes.Buffer
	iw := ipc.NewWriter(&buf, ipc.WithSchema(w.schema))
	if err := iw.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

func (w *Writer) openParquet(f io.Writer) error {
	name := w.opts.Compression
	if name == "" && w.opts.Format == Spark {
		name = "snappy"
	}
	codec, _ := parquetCodec(name)
	props := parquet.NewWriterProperties(
		parquet.WithCompression(codec),
		parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(int64(w.group)),
		parquet.WithCreatedBy("embeddb"),
		// Min/max of vector elements serve no reader and cost a pass.
		parquet.WithStatsFor("vector.list.element", false))
	sc, err := w.parquetSchema()
	if err != nil {
		return fmt.Errorf("columnar: %w", err)
	}
	var md metadata.KeyValueMetadata
	if w.opts.Format != Spark {
		s, err := w.arrowSchemaMeta()
		if err != nil {
			return fmt.Errorf("columnar: %w", err)
		}
		md.Append("ARROW:schema", s)
	}
	for _, k := range slices.Sorted(maps.Keys(w.opts.Metadata)) {
		md.Append(k, w.opts.Metadata[k])
	}
	pw, err := file.NewParquetWriterWithError(f, sc, file.WithWriterProps(props), file.WithWriteMetadata(md))
	if err != nil {
		return fmt.Errorf("columnar: %w", err)
	}
	w.pq = pw
	return nil
}

// writeGroup writes p's rows as one Parquet row group, a column at a
// time.
func (w *Writer) writeGroup(p *pending) error {
	rg, err := w.pq.AppendRowGroupChecked()
	if err != nil {
		return err
	}
	cw, err := rg.NextColumn()
	if err != nil {
		return err
	}
	if err := writeWords(cw.(*file.ByteArrayColumnChunkWriter), p.words); err != nil {
		return err
	}
	if w.opts.Format != Spark {
		for _, col := range [][]int64{p.ids, p.counts} {
			if cw, err = rg.NextColumn(); err != nil {
				return err
			}
			if _, err := cw.(*file.Int64ColumnChunkWriter).WriteBatch(col, nil, nil); err != nil {
				return err
			}
			if err := cw.Close(); err != nil {
				return err
			}
		}
		if err := writeParquetColumns(rg, w.opts.Columns, p.cols); err != nil {
			return err
		}
	}
	if cw, err = rg.NextColumn(); err != nil {
		return err
	}
	if err := w.writeVectors(cw, p); err != nil {
		return err
	}
	return rg.Close()
}

// writeWords writes the word column, viewing each string's bytes in place
// (the writer copies them into its page).
func writeWords(cw *file.ByteArrayColumnChunkWriter, words []string) error {
	buf := make([]parquet.ByteArray, min(len(words), 4096))
	for len(words) > 0 {
		n := min(len(words), len(buf))
		for i, s := range words[:n] {
			buf[i] = unsafe.Slice(unsafe.StringData(s), len(s))
		}
		if _, err := cw.WriteBatch(buf[:n], nil, nil); err != nil {
			return err
		}
		words = words[n:]
	}
	return cw.Close()
}

// writeVectors writes the vector column: each element has definition level
// 1 (present), and repetition level 0 where a row starts, 1 elsewhere.
func (w *Writer) writeVectors(cw file.ColumnChunkWriter, p *pending) error {
	dim, n := w.dim, len(p.words)
	if len(w.defs) == 0 {
		w.defs, w.reps = make([]int16, levelRows*dim), make([]int16, levelRows*dim)
		for i := range w.defs {
			w.defs[i] = 1
			if i%dim != 0 {
				w.reps[i] = 1
			}
		}
	}
	var flba []parquet.FixedLenByteArray
	if w.opts.Elem == vec.Float16 {
		flba = make([]parquet.FixedLenByteArray, levelRows*dim)
	}
	for start := 0; start < n; start += levelRows {
		k := min(levelRows, n-start) * dim
		lo := start * dim
		var err error
		switch c := cw.(type) {
		case *file.Float32ColumnChunkWriter:
			_, err = c.WriteBatch(p.vecs[lo:lo+k], w.defs[:k], w.reps[:k])
		case *file.FixedLenByteArrayColumnChunkWriter:
			for i := range k {
				flba[i] = p.half[2*(lo+i) : 2*(lo+i)+2]
			}
			_, err = c.WriteBatch(flba[:k], w.defs[:k], w.reps[:k])
		default:
			err = fmt.Errorf("columnar: unexpected column writer %T", cw)
		}
		if err != nil {
			return err
		}
	}
	return cw.Close()
}
