// Command w2vtrain trains Word2Vec with package trainer and writes the vectors in word2vec
// text format. It exists for scripts/compare-train.sh until the embeddb command can TRAIN.
//
//	w2vtrain -out vectors.txt [-param name=value ...] FILE...
//
// Parameters take gensim's names (vector_size, window, min_count, sg, hs, negative, sample,
// epochs, workers, seed, ...). The last line printed is "RESULT {json}" with the phase
// timings in seconds (train_s excludes the vocabulary pass and the output), as
// /work/shared/peers/gensim_train.py prints, so run_timed.py can read it.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/embeddb/embeddb/trainer"
)

type paramFlags []string

func (p *paramFlags) String() string     { return strings.Join(*p, ",") }
func (p *paramFlags) Set(s string) error { *p = append(*p, s); return nil }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "w2vtrain:", err)
		os.Exit(1)
	}
}

func run() error {
	var params paramFlags
	out := flag.String("out", "", "write vectors here (word2vec text format)")
	progress := flag.Bool("progress", false, "print progress to stderr")
	flag.Var(&params, "param", "gensim parameter name=value (repeatable)")
	flag.Parse()
	if flag.NArg() == 0 {
		return errors.New("no corpus file given (usage: w2vtrain [-out FILE] [-param name=value] FILE [FILE])")
	}
	opts := trainer.DefaultOptions()
	for _, p := range params {
		name, val, ok := strings.Cut(p, "=")
		if !ok {
			return fmt.Errorf("-param %q: want name=value", p)
		}
		var v any = val
		if i, err := strconv.ParseInt(val, 10, 64); err == nil {
			v = i
		} else if f, err := strconv.ParseFloat(val, 64); err == nil {
			v = f
		} else if b, err := strconv.ParseBool(val); err == nil {
			v = b
		}
		if err := opts.Set(name, v); err != nil {
			return err
		}
	}
	if *progress {
		opts.Progress = func(p trainer.Progress) {
			fmt.Fprintf(os.Stderr, "\r%s epoch %d/%d words %d/%d %.0f w/s alpha %.5f eta %s   ",
				p.Phase, p.Epoch, p.Epochs, p.Words, p.TotalWords, p.WordsPerSec, p.Alpha, p.ETA.Round(time.Second))
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	t0 := time.Now()
	m, err := trainer.Train(ctx, trainer.Files(flag.Args()...), opts)
	if *progress {
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		return err
	}
	t1 := time.Now()
	if *out != "" {
		if err := writeText(*out, m); err != nil {
			return err
		}
	}
	res := map[string]any{
		"params":          opts.Params(),
		"vocab_s":         m.Stats.VocabSeconds,
		"train_s":         m.Stats.Seconds,
		"save_s":          time.Since(t1).Seconds(),
		"total_s":         time.Since(t0).Seconds(),
		"vocab_size":      len(m.Words),
		"raw_words":       m.Stats.RawWords,
		"effective_words": m.Stats.EffectiveWords,
		"words_per_s":     m.Stats.WordsPerSec,
	}
	b, _ := json.Marshal(res)
	fmt.Printf("RESULT %s\n", b)
	return nil
}

func writeText(path string, m *trainer.Model) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintf(w, "%d %d\n", len(m.Words), m.Dim)
	buf := make([]byte, 0, 64)
	for i, word := range m.Words {
		w.WriteString(word)
		for _, v := range m.Vectors[i*m.Dim : (i+1)*m.Dim] {
			buf = strconv.AppendFloat(append(buf[:0], ' '), float64(v), 'g', -1, 32)
			w.Write(buf)
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
