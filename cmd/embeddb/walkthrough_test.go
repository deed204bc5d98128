package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestWalkthrough runs testdata/walkthrough.sql, the README's first
// command, from the repository root. It trains with workers = 4, which is
// not bit-reproducible, so the test checks the shape of what it prints:
// the TRAIN row, five neighbours of python best first (python itself left
// out), a similarity that is the cosine of the two words' vectors, and a
// vector of 100 numbers.
func TestWalkthrough(t *testing.T) {
	t.Chdir(repoRoot)
	path := filepath.Join(t.TempDir(), "w.db")
	r := runMain(t, "", "-mode", "jsonl", "-f", "testdata/walkthrough.sql", path, "SELECT VECTOR('language') FROM w2v")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 1+5+1+1+1 {
		t.Fatalf("printed %d lines, want 9 (TRAIN, 5 neighbours, similarity, 2 vectors):\n%s", len(lines), r.stdout)
	}
	rows := make([]map[string]json.Number, len(lines))
	for i, l := range lines {
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(l))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("line %d %q: %v", i+1, l, err)
		}
		rows[i] = map[string]json.Number{}
		for k, v := range m {
			switch x := v.(type) {
			case json.Number:
				rows[i][k] = x
			case string:
				rows[i][k] = json.Number(x)
			case []any:
				parts := make([]string, len(x))
				for j, e := range x {
					parts[j] = string(e.(json.Number))
				}
				rows[i][k] = json.Number(strings.Join(parts, ","))
			}
		}
	}

	train := rows[0]
	if train["table"] != "w2v" || train["vector_size"] != "100" || train["vocabulary"] != "17" || train["words"] != "26" {
		t.Errorf("TRAIN printed %s, want table w2v, vector_size 100, vocabulary 17, words 26", lines[0])
	}
	prev := 2.0
	for i, row := range rows[1:6] {
		w, s := string(row["word"]), f32(t, row["similarity"])
		if w == "" || w == "python" {
			t.Errorf("neighbour %d is %q: want another word than python", i+1, w)
		}
		if s < -1 || s > 1 || float64(s) > prev {
			t.Errorf("neighbour %d %q has similarity %v after %v: want values in [-1, 1], best first", i+1, w, s, prev)
		}
		prev = float64(s)
	}
	sim := f32(t, rows[6]["similarity"])
	python, language := vec(t, rows[7]["vector"]), vec(t, rows[8]["vector"])
	if len(python) != 100 || len(language) != 100 {
		t.Fatalf("vectors of %d and %d values, want 100", len(python), len(language))
	}
	if cos := cosine(python, language); math.Abs(cos-float64(sim)) > 1e-5 {
		t.Errorf("SIMILARITY('python', 'language') = %v, but the cosine of the printed vectors is %v", sim, cos)
	}
}

// TestWalkthrough_Table runs the README's command exactly: the default
// table mode and a temporary database.
func TestWalkthrough_Table(t *testing.T) {
	t.Chdir(repoRoot)
	r := runMain(t, "", "-f", "testdata/walkthrough.sql")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if r.stderr != "note: no database file given: using a temporary database, deleted at exit\n" {
		t.Errorf("stderr = %q, want the note about the temporary database", r.stderr)
	}
	for _, want := range []string{
		`(?m)^\| table \| words \| vocabulary \| vector_size \| seconds \| words/s \|$`,
		`(?m)^\| w2v   \|    26 \|         17 \|         100 \|`,
		`(?m)^\| word +\| +similarity \|\n\+-+\+-+\+\n(\| \w+ +\| +-?0\.\d+ \|\n){5}\+`,
		`(?m)^\| +similarity \|\n\+-+\+\n\| +-?0\.\d+ \|$`,
		`(?m)^-\[ RECORD 1 \]-+\nvector \| \[-?[0-9.e-]+(, -?[0-9.e-]+){99}\]$`,
	} {
		if !regexp.MustCompile(want).MatchString(r.stdout) {
			t.Errorf("output has no match for %s:\n%s", want, r.stdout)
		}
	}
}

func f32(t *testing.T, n json.Number) float32 {
	t.Helper()
	f, err := strconv.ParseFloat(string(n), 32)
	if err != nil {
		t.Fatalf("%q: %v", n, err)
	}
	return float32(f)
}

func vec(t *testing.T, n json.Number) []float32 {
	t.Helper()
	var out []float32
	for _, p := range strings.Split(string(n), ",") {
		out = append(out, f32(t, json.Number(p)))
	}
	return out
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}
