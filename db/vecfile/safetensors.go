package vecfile

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// maxSafetensorsHeader is the largest JSON header read, as the safetensors
// library's own limit (100 MB).
const maxSafetensorsHeader = 100_000_000

// stTensor is one entry of a safetensors header.
type stTensor struct {
	DType       string  `json:"dtype"`
	Shape       []int64 `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// stFile is a parsed safetensors header.
type stFile struct {
	tensors map[string]stTensor
	dataOff int64 // file offset of the data section
}

func (r *Reader) openSafetensors(head []byte, fromFile bool) error {
	// A safetensors file starts with its header's length, then "{"; that
	// length's low byte may itself be "{", so test for the file first.
	isFile := len(head) >= 9 && head[8] == '{' && binary.LittleEndian.Uint64(head) <= uint64(r.size-8)
	text := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	if !isFile && len(text) > 0 && text[0] == '{' {
		if !fromFile {
			return errAt(r.path, 0, ErrHeader, "a sharded checkpoint index needs Open, not NewReader")
		}
		return r.openShardIndex(head)
	}
	st, err := readSafetensorsHeader(r.ra, r.size, r.path)
	if err != nil {
		return err
	}
	name, err := pickTensor(r.path, st.tensors, r.opts.Tensor)
	if err != nil {
		return err
	}
	return r.useTensor(st, name)
}

// readSafetensorsHeader reads and checks the header of a safetensors file.
func readSafetensorsHeader(ra io.ReaderAt, size int64, path string) (*stFile, error) {
	if size < 8 {
		return nil, errAt(path, 0, ErrTruncated, "safetensors file of %d bytes has no header length", size)
	}
	var lb [8]byte
	if err := readAtFull(ra, lb[:], 0, path); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint64(lb[:])
	if n > maxSafetensorsHeader {
		return nil, errAt(path, 0, ErrTooLarge, "safetensors header length %d exceeds %d", n, maxSafetensorsHeader)
	}
	if int64(n) > size-8 {
		return nil, errAt(path, 0, ErrTruncated, "safetensors header length %d, but the file has %d bytes after it", n, size-8)
	}
	hb := make([]byte, n)
	if err := readAtFull(ra, hb, 8, path); err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hb, &raw); err != nil {
		return nil, errAt(path, 8, ErrHeader, "safetensors header is not a JSON object: %v", err)
	}
	st := &stFile{tensors: make(map[string]stTensor, len(raw)), dataOff: 8 + int64(n)}
	avail := size - st.dataOff
	for name, msg := range raw {
		if name == "__metadata__" {
			continue
		}
		var t stTensor
		dec := json.NewDecoder(bytes.NewReader(msg))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&t); err != nil {
			return nil, errAt(path, 8, ErrHeader, "tensor %q: %v", name, err)
		}
		if len(t.DataOffsets) != 2 || t.DataOffsets[0] < 0 || t.DataOffsets[1] < t.DataOffsets[0] {
			return nil, errAt(path, 8, ErrHeader, "tensor %q: data_offsets %v must be [begin, end] with 0 ≤ begin ≤ end", name, t.DataOffsets)
		}
		if t.DataOffsets[1] > avail {
			return nil, errAt(path, st.dataOff+t.DataOffsets[0], ErrLayout,
				"tensor %q: data_offsets %v end past the data (%d bytes)", name, t.DataOffsets, avail)
		}
		for _, d := range t.Shape {
			if d < 0 {
				return nil, errAt(path, 8, ErrHeader, "tensor %q: negative shape %v", name, t.Shape)
			}
		}
		st.tensors[name] = t
	}
	return st, nil
}

// readAtFull reads len(b) bytes at off; a file that ends first is an
// ErrTruncated FormatError. (A ReaderAt may return io.EOF with a full read.)
func readAtFull(ra io.ReaderAt, b []byte, off int64, path string) error {
	n, err := ra.ReadAt(b, off)
	switch {
	case n == len(b):
		return nil
	case err == nil || errors.Is(err, io.EOF):
		return errAt(path, off+int64(n), ErrTruncated, "file ends %d bytes early", len(b)-n)
	}
	return fmt.Errorf("read %s: %w", path, err)
}

// stDTypes maps safetensors dtypes to the stored kind and the delivered
// DType.
var stDTypes = map[string]struct {
	kind rawKind
	dt   DType
}{
	"F32":  {rawKind{size: 4}, Float32},
	"F16":  {rawKind{size: 2}, Float16},
	"BF16": {rawKind{size: 2}, BFloat16},
	"F64":  {rawKind{size: 8, float64: true}, Float32},
}

// pickTensor returns the tensor to read: the named one, or the only 2-D one.
func pickTensor(path string, tensors map[string]stTensor, want string) (string, error) {
	if want != "" {
		if _, ok := tensors[want]; ok {
			return want, nil
		}
		return "", &FormatError{Path: path, Offset: -1, Err: ErrTensorNotFound,
			Msg: fmt.Sprintf("no tensor %q; 2-D tensors: %s", want, list2D(tensors))}
	}
	var names []string
	for name, t := range tensors {
		if len(t.Shape) == 2 {
			names = append(names, name)
		}
	}
	if len(names) == 1 {
		return names[0], nil
	}
	return "", &FormatError{Path: path, Offset: -1, Err: ErrTensorNotFound,
		Msg: fmt.Sprintf("name the tensor to read with tensor = '…'; 2-D tensors: %s", list2D(tensors))}
}

// list2D lists the 2-D tensors with their shapes and dtypes, for errors.
func list2D(tensors map[string]stTensor) string {
	var names []string
	for name, t := range tensors {
		if len(t.Shape) == 2 {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	slices.Sort(names)
	var b strings.Builder
	for i, name := range names {
		if i == 20 {
			fmt.Fprintf(&b, ", and %d more", len(names)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		t := tensors[name]
		fmt.Fprintf(&b, "%q %s %s", name, t.DType, fmtShape(t.Shape))
	}
	return b.String()
}

// useTensor sets r up to read tensor name of st.
func (r *Reader) useTensor(st *stFile, name string) error {
	t := st.tensors[name]
	at := st.dataOff + t.DataOffsets[0]
	k, ok := stDTypes[t.DType]
	if !ok {
		return errAt(r.path, at, ErrDType, "tensor %q has dtype %s; F32, F16, BF16 and F64 (read as F32) are supported", name, t.DType)
	}
	if len(t.Shape) != 2 {
		return errAt(r.path, at, ErrShape, "tensor %q has shape %s; a 2-D matrix (rows, dim) is needed", name, fmtShape(t.Shape))
	}
	rows, dim := t.Shape[0], t.Shape[1]
	span := t.DataOffsets[1] - t.DataOffsets[0]
	if err := r.checkMatrix(rows, dim, k.kind.size, at, span, 8, ErrLayout); err != nil {
		return err
	}
	if span != rows*dim*int64(k.kind.size) {
		return errAt(r.path, at, ErrLayout, "tensor %q: data_offsets %v hold %d bytes, but shape %s of %s needs %d",
			name, t.DataOffsets, span, fmtShape(t.Shape), t.DType, rows*dim*int64(k.kind.size))
	}
	if r.opts.Limit > 0 {
		rows = min(rows, int64(r.opts.Limit))
	}
	r.hdr = Header{Format: Safetensors, Rows: int(rows), Dim: int(dim), DType: k.dt}
	r.dataStart = at
	src := &rawSource{kind: k.kind, dim: int(dim), dataOff: at, path: r.path}
	r.src = src
	return r.openWords(src, r.opts.WordsPath)
}

// stIndex is a sharded checkpoint's model.safetensors.index.json.
type stIndex struct {
	WeightMap map[string]string `json:"weight_map"`
}

// openShardIndex follows a model.safetensors.index.json to the shard that
// holds the tensor, and reads from that shard.
func (r *Reader) openShardIndex(head []byte) error {
	if int64(len(head)) < r.size {
		return errAt(r.path, 0, ErrTooLarge, "index of %d bytes exceeds %d", r.size, headBytes)
	}
	var idx stIndex
	if err := json.Unmarshal(head, &idx); err != nil {
		return errAt(r.path, 0, ErrHeader, "not a safetensors index (JSON with weight_map): %v", err)
	}
	if len(idx.WeightMap) == 0 {
		return errAt(r.path, 0, ErrHeader, "safetensors index has no weight_map")
	}
	dir := filepath.Dir(r.path)
	shardPath := func(file string) (string, error) {
		if file == "" || filepath.Base(file) != file || file == "." || file == ".." {
			return "", errAt(r.path, -1, ErrHeader, "weight_map names shard %q; shards must be files beside the index", file)
		}
		return filepath.Join(dir, file), nil
	}
	// Read the headers of the shards that matter: the named tensor's, or all
	// of them to find the only 2-D tensor (and to list them in errors).
	var files []string
	if file, ok := idx.WeightMap[r.opts.Tensor]; ok {
		files = []string{file}
	} else {
		for _, file := range idx.WeightMap {
			if !slices.Contains(files, file) {
				files = append(files, file)
			}
		}
		slices.Sort(files)
	}
	all := map[string]stTensor{}
	owner := map[string]string{}
	headers := map[string]*stFile{}
	for _, file := range files {
		p, err := shardPath(file)
		if err != nil {
			return err
		}
		f, err := openFile(p)
		if err != nil {
			return fmt.Errorf("shard of %s: %w", r.path, err)
		}
		fi, err := f.Stat()
		if err == nil {
			var st *stFile
			st, err = readSafetensorsHeader(f, fi.Size(), p)
			if err == nil {
				headers[file] = st
				for name, t := range st.tensors {
					all[name] = t
					owner[name] = file
				}
			}
		}
		f.Close()
		if err != nil {
			return err
		}
	}
	name, err := pickTensor(r.path, all, r.opts.Tensor)
	if err != nil {
		return err
	}
	file := owner[name]
	p, _ := shardPath(file)
	f, err := openFile(p)
	if err != nil {
		return fmt.Errorf("shard of %s: %w", r.path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	r.closers = append(r.closers, f)
	r.ra, r.size, r.path = f, fi.Size(), p
	return r.useTensor(headers[file], name)
}
