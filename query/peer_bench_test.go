package query_test

import (
	"testing"
	"time"

	"github.com/alecthomas/participle/v2"

	"github.com/embeddb/embeddb/query"
)

// A conventional participle grammar for SELECT, expressions included, one
// struct per precedence level as in participle's own SQL example. It is
// the peer against which BenchmarkParse_VsParticipleExprs measures the
// package's design: participle for statements, precedence climbing for
// expressions.

type pSelect struct {
	Items []*pExpr `parser:"'SELECT' @@ (',' @@)*"`
	From  string   `parser:"('FROM' @(Ident | QIdent | Func))?"`
	Where *pExpr   `parser:"('WHERE' @@)?"`
	Limit *pExpr   `parser:"('LIMIT' @@)?"`
}

type pExpr struct {
	Left *pAnd   `parser:"@@"`
	Rest []*pAnd `parser:"('OR' @@)*"`
}

type pAnd struct {
	Left *pNot   `parser:"@@"`
	Rest []*pNot `parser:"('AND' @@)*"`
}

type pNot struct {
	Not *pNot `parser:"  'NOT' @@"`
	Cmp *pCmp `parser:"| @@"`
}

type pCmp struct {
	Left *pAdd    `parser:"@@"`
	Rest []*pCmpR `parser:"@@*"`
}

type pCmpR struct {
	Op    string `parser:"@('=' | '<>' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE')"`
	Right *pAdd  `parser:"@@"`
}

type pAdd struct {
	Left *pMul    `parser:"@@"`
	Rest []*pAddR `parser:"@@*"`
}

type pAddR struct {
	Op    string `parser:"@('+' | '-')"`
	Right *pMul  `parser:"@@"`
}

type pMul struct {
	Left *pUnary  `parser:"@@"`
	Rest []*pMulR `parser:"@@*"`
}

type pMulR struct {
	Op    string  `parser:"@('*' | '/')"`
	Right *pUnary `parser:"@@"`
}

type pUnary struct {
	Op      string    `parser:"  @('-' | '+')"`
	X       *pUnary   `parser:"  @@"`
	Primary *pPrimary `parser:"| @@"`
}

type pPrimary struct {
	Number string   `parser:"  @Number"`
	String string   `parser:"| @String"`
	Call   *pCall   `parser:"| @@"`
	Paren  *pExpr   `parser:"| '(' @@ ')'"`
	Vector []*pExpr `parser:"| '[' (@@ (',' @@)*)? ']'"`
}

type pCall struct {
	Name string   `parser:"@(Func | Ident)"`
	Args []*pExpr `parser:"('(' (@@ (',' @@)*)? ')')?"`
}

var peerParser = participle.MustBuild[pSelect](
	participle.Lexer(query.LexerDefForTest),
	participle.CaseInsensitive("Keyword", "Func"),
	participle.UseLookahead(0),
)

// BenchmarkParse_VsParticipleExprs parses the same SELECT alternately with
// ParseStatement and with the peer grammar above, from the same tokens,
// and reports how many times more CPU the peer takes (peer-cpu-ratio). It
// alternates blocks of parses so that both see the same load.
func BenchmarkParse_VsParticipleExprs(b *testing.B) {
	src := "SELECT NEAREST('python', 5) FROM w2v WHERE word LIKE 'p%' LIMIT 5"
	if _, err := peerParser.ParseFromLexer(query.LexForTest(src)); err != nil {
		b.Fatal(err)
	}
	const block = 200
	var ours, peer time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := cpuTime()
		for range block {
			if _, err := query.ParseStatement(src); err != nil {
				b.Fatal(err)
			}
		}
		t1 := cpuTime()
		for range block {
			if _, err := peerParser.ParseFromLexer(query.LexForTest(src)); err != nil {
				b.Fatal(err)
			}
		}
		t2 := cpuTime()
		ours += t1 - t0
		peer += t2 - t1
	}
	if ours > 0 {
		b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N*block), "ours-cpu-ns/parse")
		b.ReportMetric(float64(peer.Nanoseconds())/float64(b.N*block), "peer-cpu-ns/parse")
		b.ReportMetric(float64(peer)/float64(ours), "peer-cpu-ratio")
	}
}
