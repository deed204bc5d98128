package tokenize_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

// chineseWords are common Chinese words; benchText strings them into
// sentences with a seeded generator, so that pieces vary as in real text.
var chineseWords = strings.Fields(`
我们 你们 他们 这个 那个 什么 因为 所以 但是 如果 已经 可以 没有 自己 一个 时候 知道 现在 看到 觉得
中国 北京 上海 城市 国家 人民 政府 经济 发展 社会 文化 历史 教育 科学 技术 研究 大学 学生 老师 学习
语言 自然 处理 计算机 人工智能 机器 学习 模型 数据 网络 系统 问题 方法 结果 分析 信息 工作 公司 市场 产品
世界 生活 时间 地方 朋友 家庭 孩子 父母 身体 健康 医院 医生 工作 问题 音乐 电影 书籍 新闻 天气 今天
明天 昨天 早上 晚上 开始 结束 继续 重要 简单 复杂 美丽 快乐 安静 非常 特别 一定 可能 应该 需要 希望
`)

// benchText returns about size bytes of lines: English lines of Wikipedia,
// Chinese sentences, or both alternating.
func benchText(b *testing.B, kind string, size int) (lines []string, total int64) {
	var english []string
	if kind != "chinese" {
		data := readMaybeGzip(b, filepath.Join(sharedTestdata(b), "corpus", "wikipedia", "wiki_AA_01.txt.gz"))
		for _, l := range bytes.SplitAfter(data, []byte("\n")) {
			english = append(english, string(l))
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	chinese := func() string {
		var sb strings.Builder
		for s := 0; s < 1+r.IntN(4); s++ {
			for w := 0; w < 4+r.IntN(12); w++ {
				sb.WriteString(chineseWords[r.IntN(len(chineseWords))])
				if r.IntN(6) == 0 {
					sb.WriteString("，")
				}
			}
			sb.WriteString("。")
		}
		sb.WriteString("\n")
		return sb.String()
	}
	for i := 0; total < int64(size); i++ {
		var l string
		switch {
		case kind == "english", kind == "mixed" && i%2 == 0:
			l = english[i%len(english)]
		default:
			l = chinese()
		}
		lines = append(lines, l)
		total += int64(len(l))
	}
	return lines, total
}

// BenchmarkBPE_Encode measures Qwen's tokenizer on one core, in MB/s of
// input text, with the merge cache warm (as in a long-lived database) and
// emptied before every pass.
func BenchmarkBPE_Encode(b *testing.B) {
	tok := qwenBPE(b)
	for _, kind := range []string{"english", "chinese", "mixed"} {
		lines, size := benchText(b, kind, 1<<20)
		for _, cache := range []string{"warm", "cold"} {
			b.Run(kind+"/cache="+cache, func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				n := 0
				for b.Loop() {
					if cache == "cold" {
						tokenize.ClearCache(tok)
					}
					for _, l := range lines {
						n += len(tok.EncodeIDs(l))
					}
				}
				b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tokens/s")
			})
		}
	}
}

// BenchmarkParseBPE measures loading Qwen's 11 MB tokenizer.json.
func BenchmarkParseBPE(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(sharedTestdata(b), "qwen", "tokenizer.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tokenize.ParseBPE(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWriteBenchText writes the benchmark texts to $EMBEDDB_BENCH_TEXT, for
// testdata/bench_hf.js to time Hugging Face on the same input.
func TestWriteBenchText(t *testing.T) {
	dir := os.Getenv("EMBEDDB_BENCH_TEXT")
	if dir == "" {
		t.Skip("set EMBEDDB_BENCH_TEXT to a directory to write the benchmark texts for testdata/bench_hf.js")
	}
	for _, kind := range []string{"english", "chinese", "mixed"} {
		lines, _ := benchText(&testing.B{}, kind, 1<<20)
		if err := os.WriteFile(filepath.Join(dir, kind+".txt"), []byte(strings.Join(lines, "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
