// Command w2veval evaluates word2vec text files with package trainer's gensim-compatible
// evaluation: analogy accuracy (questions-words.txt, restrict_vocab 30000 by default) and
// WordSim-353 Spearman, one JSON line per file.
//
//	w2veval -questions questions-words.txt -pairs wordsim353.tsv [-restrict 30000] FILE...
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/embeddb/embeddb/trainer"
)

func main() {
	qw := flag.String("questions", "", "analogy file (questions-words.txt format)")
	pairs := flag.String("pairs", "", "word-pair file (wordsim353.tsv format)")
	restrict := flag.Int("restrict", 30000, "restrict_vocab for the analogies")
	flag.Parse()
	for _, path := range flag.Args() {
		if err := evalFile(path, *qw, *pairs, *restrict); err != nil {
			fmt.Fprintln(os.Stderr, "w2veval:", err)
			os.Exit(1)
		}
	}
}

func evalFile(path, qw, pairs string, restrict int) error {
	kv, err := load(path)
	if err != nil {
		return err
	}
	out := map[string]any{"file": path, "vocab": len(kv.Words)}
	ctx := context.Background()
	if qw != "" {
		f, err := os.Open(qw)
		if err != nil {
			return err
		}
		res, err := kv.EvaluateWordAnalogies(ctx, f, restrict)
		f.Close()
		if err != nil {
			return err
		}
		out["analogy_acc"] = res.Accuracy
		out["analogy_evaluated"] = res.Total.Correct + res.Total.Incorrect
	}
	if pairs != "" {
		f, err := os.Open(pairs)
		if err != nil {
			return err
		}
		res, err := kv.EvaluateWordPairs(ctx, f, 0)
		f.Close()
		if err != nil {
			return err
		}
		out["ws_spearman"] = res.Spearman
		out["ws_pearson"] = res.Pearson
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
	return nil
}

// load reads word2vec text format.
func load(path string) (*trainer.KeyedVectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	if !sc.Scan() {
		return nil, fmt.Errorf("%s: empty", path)
	}
	hdr := strings.Fields(sc.Text())
	if len(hdr) != 2 {
		return nil, fmt.Errorf("%s: bad header %q", path, sc.Text())
	}
	dim, err := strconv.Atoi(hdr[1])
	if err != nil || dim < 1 {
		return nil, fmt.Errorf("%s: bad dimension %q", path, hdr[1])
	}
	kv := &trainer.KeyedVectors{Dim: dim}
	for line := 2; sc.Scan(); line++ {
		p := strings.Fields(sc.Text())
		if len(p) != dim+1 {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d", path, line, len(p), dim+1)
		}
		kv.Words = append(kv.Words, p[0])
		for _, s := range p[1:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
			kv.Vectors = append(kv.Vectors, float32(v))
		}
	}
	return kv, sc.Err()
}
