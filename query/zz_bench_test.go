package query

import (
	"fmt"
	"strings"
	"testing"
)

func BenchmarkTry(b *testing.B) {
	var vec []string
	for i := 0; i < 100; i++ {
		vec = append(vec, fmt.Sprintf("%.6f", float64(i)*0.0123-0.5))
	}
	for name, src := range map[string]string{
		"select": "SELECT NEAREST('python', 5) FROM w2v WHERE word LIKE 'p%' LIMIT 5",
		"train":  "TRAIN w2v FROM 'train-data.txt' WITH (vector_size = 100, window = 5, min_count = 1, workers = 4, sg = 1)",
		"insert": "INSERT INTO pets VALUES ('cat', [" + strings.Join(vec, ", ") + "])",
		"vacuum": "VACUUM",
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Parse(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
