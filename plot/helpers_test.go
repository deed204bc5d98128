package plot_test

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// loadWords reads testdata/words2000.txt.gz (word2vec text format).
func loadWords(tb testing.TB) ([]string, []float32, int) {
	tb.Helper()
	f, err := os.Open("testdata/words2000.txt.gz")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	sc.Scan()
	head := strings.Fields(sc.Text())
	dim, _ := strconv.Atoi(head[1])
	var words []string
	var data []float32
	for sc.Scan() {
		parts := strings.Fields(sc.Text())
		words = append(words, parts[0])
		for _, s := range parts[1 : 1+dim] {
			v, err := strconv.ParseFloat(s, 32)
			if err != nil {
				tb.Fatal(err)
			}
			data = append(data, float32(v))
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return words, data, dim
}

// loadTSV reads a golden file of word, x, y lines.
func loadTSV(tb testing.TB, path string) ([]string, [][2]float64) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var words []string
	var xy [][2]float64
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		x, _ := strconv.ParseFloat(f[1], 64)
		y, _ := strconv.ParseFloat(f[2], 64)
		words = append(words, f[0])
		xy = append(xy, [2]float64{x, y})
	}
	return words, xy
}

// sklearnTSNE is testdata/tsne.json.
type sklearnTSNE struct {
	Sklearn   string  `json:"sklearn"`
	BarnesHut run     `json:"barnes_hut_2000"`
	Exact     run     `json:"exact_300"`
	PCATrust  float64 `json:"pca_2000_trustworthiness"`
}

type run struct {
	Trust   float64 `json:"trustworthiness"`
	Seconds float64 `json:"seconds"`
}

func loadTSNE(tb testing.TB) sklearnTSNE {
	tb.Helper()
	b, err := os.ReadFile("testdata/tsne.json")
	if err != nil {
		tb.Fatal(err)
	}
	var r sklearnTSNE
	if err := json.Unmarshal(b, &r); err != nil {
		tb.Fatal(err)
	}
	return r
}
