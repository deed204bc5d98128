package tokenize

import (
	"os"
	"testing"
)

func BenchmarkTmpLoad(b *testing.B) {
	data, err := os.ReadFile("/work/shared/testdata/qwen/tokenizer.json")
	if err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		if _, err := ParseBPE(data); err != nil {
			b.Fatal(err)
		}
	}
}
