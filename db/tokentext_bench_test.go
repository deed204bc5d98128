package db_test

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// benchParagraph is 100 Qwen tokens of English and Chinese.
const benchParagraph = "The committee postponed its vote until the spring, citing a lack of reliable data " +
	"on how the new rules would affect small farms in the north. 我们明天早上八点在图书馆门口见面，别忘了带上你的笔记本。" +
	"Critics said the delay would cost growers another season of uncertainty, and several members asked for an " +
	"independent review of the figures before any decision is made next year. The chair promised a report by the " +
	"end of March; farmers' groups welcomed the news, at long last."

// BenchmarkEmbedText times EMBED_TEXT of a text of about 100 tokens on a
// table of Qwen2.5-1.5B's shape (151,936 × 1,536 bfloat16, random values)
// with Qwen's tokenizer: the target is under 100 µs.
func BenchmarkEmbedText(b *testing.B) {
	tokPath := filepath.Join("..", "..", "shared", "testdata", "qwen", "tokenizer.json")
	if testing.Short() {
		b.Skip("writes a 467 MB matrix")
	}
	path, _ := writeMatrix(b, b.TempDir(), 151936, 1536)
	d := MustOpenDB(b)
	mustExec(b, d, "IMPORT qwen FROM ? WITH (tensor = 'model.embed_tokens.weight', tokenizer = ?)", path, tokPath)
	toks := len(mustExec(b, d, "SELECT TOKENS(?) FROM qwen", benchParagraph).Rows)
	stmt, err := d.Prepare("SELECT EMBED_TEXT(?) FROM qwen")
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	run := func() {
		rows, err := stmt.Query(ctx, benchParagraph)
		if err != nil {
			b.Fatal(err)
		}
		all, err := rows.All()
		if err != nil || len(all) != 1 || len(all[0][0].([]float32)) != 1536 {
			b.Fatalf("EMBED_TEXT gave %v, %v", all, err)
		}
	}
	run() // loads the tokenizer
	b.ReportAllocs()
	start, cpu0 := time.Now(), processCPU()
	for b.Loop() {
		run()
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/float64(b.N), "µs/embed_text")
	// The machine may be shared: the process's CPU time per call as well.
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/embed_text")
	b.ReportMetric(float64(toks), "tokens")
}

// processCPU returns the user and system CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
