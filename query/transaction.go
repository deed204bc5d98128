package query

import "github.com/alecthomas/participle/v2/lexer"

// BEGIN [TRANSACTION], COMMIT [TRANSACTION] and ROLLBACK [TRANSACTION]:
// explicit transactions, in one file (grammar, node, printing). The
// executor's side is db/internal/exec/transaction.go.

func init() {
	registerStatement[gBegin]("BEGIN")
	registerStatement[gCommit]("COMMIT")
	registerStatement[gRollback]("ROLLBACK")
}

type gBegin struct {
	Pos lexer.Position
	Kw  string `parser:"@'BEGIN' 'TRANSACTION'?"`
}

type gCommit struct {
	Pos lexer.Position
	Kw  string `parser:"@'COMMIT' 'TRANSACTION'?"`
}

type gRollback struct {
	Pos lexer.Position
	Kw  string `parser:"@'ROLLBACK' 'TRANSACTION'?"`
}

func (*gBegin) gstmt()    {}
func (*gCommit) gstmt()   {}
func (*gRollback) gstmt() {}

func (x *gBegin) convert() Statement { return &Transaction{Pos: position(x.Pos), Op: "BEGIN"} }
func (x *gCommit) convert() Statement {
	return &Transaction{Pos: position(x.Pos), Op: "COMMIT"}
}
func (x *gRollback) convert() Statement {
	return &Transaction{Pos: position(x.Pos), Op: "ROLLBACK"}
}

// Transaction is BEGIN, COMMIT or ROLLBACK (Op): start an explicit
// transaction, commit it, or drop it.
type Transaction struct {
	Pos, End Position
	Op       string // "BEGIN", "COMMIT" or "ROLLBACK"
}

// Position implements Node.
func (x *Transaction) Position() Position { return x.Pos }

// Span implements Statement.
func (x *Transaction) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams implements Statement.
func (x *Transaction) NumParams() int { return 0 }

// TableName implements Statement: a transaction concerns no one table.
func (x *Transaction) TableName() string { return "" }

// String prints the statement canonically.
func (x *Transaction) String() string { return stmtString(x) }

func (*Transaction) stmtNode() {}

func (x *Transaction) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *Transaction) print(p *printer) { p.WriteString(x.Op) }

func (x *Transaction) walk(func(Node) bool) {}
