//go:build !nocolumnar

package columnar

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/embeddb/embeddb/internal/atomicfile"
)

// sparkClass is the class Word2VecModel.load checks in the metadata.
const sparkClass = "org.apache.spark.ml.feature.Word2VecModel"

// SparkVersion is the Spark version written in the metadata. Spark 2.2 and
// later store one row per word, which is the layout written here.
const SparkVersion = "3.5.1"

// SparkParams are the Word2Vec parameters Spark knows, with their types:
// only these may appear in the metadata, since Word2VecModel.load fails on
// a parameter it does not have.
var SparkParams = map[string]string{
	"inputCol": "string", "outputCol": "string", "vectorSize": "int", "windowSize": "int",
	"minCount": "int", "maxIter": "int", "seed": "long", "stepSize": "double",
	"numPartitions": "int", "maxSentenceLength": "int",
}

// randomHex returns n random bytes in hex, for Spark's uid and part names.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// startSpark makes the temporary directory for a Spark model and returns
// it with the path of its data file.
func (w *Writer) startSpark() (dir, data string, err error) {
	dir, err = os.MkdirTemp(filepath.Dir(w.path), "."+filepath.Base(w.path)+".tmp-*")
	if err != nil {
		return "", "", fmt.Errorf("create %s: %w", w.path, errors.Unwrap(err))
	}
	w.tmpDir = dir
	for _, sub := range []string{"metadata", "data"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			return "", "", err
		}
	}
	u := randomHex(16)
	part := fmt.Sprintf("part-00000-%s-%s-%s-%s-%s-c000.snappy.parquet", u[:8], u[8:12], u[12:16], u[16:20], u[20:])
	w.sparkPart = filepath.Join(dir, "data", part)
	return dir, w.sparkPart, nil
}

// sparkMetadata returns the metadata line DefaultParamsWriter writes.
func (w *Writer) sparkMetadata() ([]byte, error) {
	params := map[string]any{"vectorSize": w.dim}
	for k, v := range w.opts.Spark {
		if _, ok := SparkParams[k]; !ok {
			return nil, fmt.Errorf("%w: Spark's Word2Vec has no parameter %q", ErrInvalidOption, k)
		}
		if k != "vectorSize" {
			params[k] = v
		}
	}
	uid := "w2v_" + randomHex(6) // as Identifiable.randomUID("w2v")
	return json.Marshal(map[string]any{
		"class": sparkClass, "timestamp": time.Now().UnixMilli(), "sparkVersion": SparkVersion, "uid": uid,
		"paramMap": params,
		"defaultParamMap": map[string]any{"outputCol": uid + "__output", "maxIter": 1, "stepSize": 0.025,
			"vectorSize": 100, "windowSize": 5, "numPartitions": 1, "minCount": 5, "maxSentenceLength": 1000},
	})
}

// finishSpark names the finished data file (at the temporary name tmp),
// writes the metadata beside it and puts the directory at the path.
func (w *Writer) finishSpark(tmp string) error {
	if err := os.Rename(tmp, w.sparkPart); err != nil {
		return err
	}
	meta, err := w.sparkMetadata()
	if err != nil {
		return err
	}
	files := map[string][]byte{"metadata/part-00000": append(meta, '\n'), "metadata/_SUCCESS": nil, "data/_SUCCESS": nil}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(w.tmpDir, name), b, 0o644); err != nil {
			return err
		}
	}
	for _, d := range []string{w.tmpDir, filepath.Join(w.tmpDir, "data"), filepath.Join(w.tmpDir, "metadata")} {
		if err := os.Chmod(d, 0o755); err != nil {
			return err
		}
		if err := atomicfile.SyncDir(d); err != nil {
			return err
		}
	}
	return w.placeDir()
}

// placeDir renames the finished temporary directory to the path, moving
// what was there aside first when overwriting.
func (w *Writer) placeDir() error {
	var old string
	if _, err := os.Lstat(w.path); err == nil {
		if !w.opts.Overwrite {
			return fmt.Errorf("%s: %w", w.path, fs.ErrExist)
		}
		old = w.tmpDir + ".old"
		if err := os.Rename(w.path, old); err != nil {
			return err
		}
	}
	if err := os.Rename(w.tmpDir, w.path); err != nil {
		if old != "" {
			os.Rename(old, w.path)
		}
		return err
	}
	w.tmpDir = ""
	if old != "" {
		os.RemoveAll(old)
	}
	return atomicfile.SyncDir(filepath.Dir(w.path))
}

// sparkModel is what a Spark model directory's metadata says.
type sparkModel struct {
	Class        string         `json:"class"`
	SparkVersion string         `json:"sparkVersion"`
	UID          string         `json:"uid"`
	ParamMap     map[string]any `json:"paramMap"`
}

// openSpark reads a Spark model directory's metadata and lists its data
// files in name order.
func openSpark(dir string) (*sparkModel, []string, error) {
	metaDir := filepath.Join(dir, "metadata")
	parts, err := listParts(metaDir, "")
	if err != nil {
		return nil, nil, err
	}
	if len(parts) == 0 {
		return nil, nil, fmt.Errorf("%w: %s holds no part file", ErrFormat, metaDir)
	}
	b, err := os.ReadFile(parts[0])
	if err != nil {
		return nil, nil, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	var m sparkModel
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", ErrFormat, parts[0], err)
	}
	if m.Class != sparkClass {
		return nil, nil, fmt.Errorf("%w: %s: class %q is not %s", ErrFormat, parts[0], m.Class, sparkClass)
	}
	if !sparkOneRowPerWord(m.SparkVersion) {
		return nil, nil, fmt.Errorf("%w: %s: Spark %s stored Word2Vec models as one row; save it again with Spark 2.2 or later",
			ErrFormat, parts[0], m.SparkVersion)
	}
	data, err := listParts(filepath.Join(dir, "data"), ".parquet")
	if err != nil {
		return nil, nil, err
	}
	if len(data) == 0 {
		return nil, nil, fmt.Errorf("%w: %s holds no Parquet file", ErrFormat, filepath.Join(dir, "data"))
	}
	return &m, data, nil
}

// sparkOneRowPerWord reports whether a model saved by Spark version v has
// a row per word (2.2 and later).
func sparkOneRowPerWord(v string) bool {
	maj, rest, _ := strings.Cut(v, ".")
	mi, _, _ := strings.Cut(rest, ".")
	major, err1 := strconv.Atoi(maj)
	minor, err2 := strconv.Atoi(mi)
	return err1 == nil && err2 == nil && (major > 2 || (major == 2 && minor >= 2))
}

// listParts returns the files in dir that Spark reads: not hidden, not
// starting with "_", ending with ext; sorted.
func listParts(dir, ext string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, "_") || strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ext) {
			continue
		}
		out = append(out, filepath.Join(dir, n))
	}
	sort.Strings(out)
	return out, nil
}
