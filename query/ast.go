package query

import (
	"fmt"
	"strconv"
)

// Position is a place in the source text of a query.
//
// Offset counts bytes; Line and Column start at 1 and Column counts runes
// (Unicode code points), so a caret drawn under the Column-th character of
// the line points at the spot in any editor that shows code points. The zero
// Position is invalid and means "unknown".
type Position struct {
	Offset int // byte offset from the start of the source, starting at 0
	Line   int // line number, starting at 1
	Column int // column in runes, starting at 1
}

// String returns "line:column", the form error messages use.
func (p Position) String() string {
	return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
}

// IsValid reports whether the position is known (Line > 0).
func (p Position) IsValid() bool { return p.Line > 0 }

// Node is any node of the syntax tree. Every node carries a Pos field that
// Position returns; String prints the node as canonical SQL that parses back
// to an equal node (positions aside).
type Node interface {
	// Position returns the node's Pos: the place to point at when reporting
	// a problem with it. That is its first token, except for *Binary, *In
	// and *Like, whose Pos is their operator.
	Position() Position
	String() string
}

// Statement is one statement of a script: *Select, *Explain, *Train,
// *Import, *Export, *CreateTable, *Insert, *Delete, *DropTable,
// *AlterTable, *CreateIndex, *DropIndex, *Set, *ShowTables, *Describe,
// *Evaluate, *CheckDatabase, *Backup, *Vacuum or *Plot. The set is closed: no
// type outside this package implements it.
type Statement interface {
	Node
	// Span returns the statement's extent in the source: pos is its first
	// token and end is just past its last token (the terminating ';' is
	// not part of the statement), so src[pos.Offset:end.Offset] is the
	// statement's text.
	Span() (pos, end Position)
	// NumParams returns how many ? parameters the statement has; they
	// are numbered 1..NumParams() in order of appearance.
	NumParams() int
	// TableName returns the name of the table the statement reads or
	// changes ("" when there is none, as for SET or SELECT 1): for
	// EXPLAIN, that of the statement explained; for ALTER TABLE ...
	// RENAME TO, the new name, which the table has once it has run.
	TableName() string
	stmtNode()
}

// Expr is an expression: *NumberLit, *StringLit, *BoolLit, *NullLit,
// *VectorLit, *Ident, *Param, *Call, *Unary, *Binary, *In or *Like. The set
// is closed: no type outside this package implements it.
type Expr interface {
	Node
	exprNode()
}

// Op is the operator of a *Unary or *Binary expression.
type Op int

// The operators, from the loosest binding to the tightest: OR; AND; NOT;
// the comparisons (and LIKE and IN, which have nodes of their own); + and
// -; * and /; unary minus.
const (
	OpOr       Op = iota + 1 // a OR b
	OpAnd                    // a AND b
	OpNot                    // NOT a (unary)
	OpEq                     // a = b
	OpNe                     // a <> b, also written a != b
	OpLt                     // a < b
	OpLe                     // a <= b
	OpGt                     // a > b
	OpGe                     // a >= b
	OpAdd                    // a + b
	OpSub                    // a - b
	OpMul                    // a * b
	OpDiv                    // a / b
	OpNeg                    // -a (unary)
	OpJSON                   // a -> 'field': the field as JSON
	OpJSONText               // a ->> 'field': the field as text
)

// Mirrored returns the comparison that holds with the operands swapped:
// a < b is b > a. Operators that are symmetric (=, <>) or not comparisons
// return themselves. The planner and the filter compiler both turn
// "constant op column" round with it.
func (op Op) Mirrored() Op {
	switch op {
	case OpLt:
		return OpGt
	case OpLe:
		return OpGe
	case OpGt:
		return OpLt
	case OpGe:
		return OpLe
	}
	return op
}

// String returns the operator as it is printed in SQL ("AND", "<>", "-"...).
// OpSub and OpNeg both print as "-".
func (op Op) String() string {
	switch op {
	case OpOr:
		return "OR"
	case OpAnd:
		return "AND"
	case OpNot:
		return "NOT"
	case OpEq:
		return "="
	case OpNe:
		return "<>"
	case OpLt:
		return "<"
	case OpLe:
		return "<="
	case OpGt:
		return ">"
	case OpGe:
		return ">="
	case OpAdd:
		return "+"
	case OpSub, OpNeg:
		return "-"
	case OpMul:
		return "*"
	case OpDiv:
		return "/"
	case OpJSON:
		return "->"
	case OpJSONText:
		return "->>"
	}
	return fmt.Sprintf("Op(%d)", int(op))
}

// ---------------------------------------------------------------------------
// Statements

// Select is a query:
//
//	SELECT items [FROM table] [WHERE cond] [ORDER BY key [ASC|DESC], ...]
//	[LIMIT n] [OFFSET n]
type Select struct {
	Pos, End Position
	Items    []SelectItem // at least one
	From     *TableName   // nil when there is no FROM (SELECT 1 + 1)
	Where    Expr         // nil when there is no WHERE
	GroupBy  []Expr       // empty when there is no GROUP BY
	Having   Expr         // nil when there is no HAVING
	OrderBy  []OrderItem  // empty when there is no ORDER BY
	Limit    Expr         // nil when there is no LIMIT
	Offset   Expr         // nil when there is no OFFSET
}

// SelectItem is one item of a SELECT list: either * or an expression with
// an optional alias.
type SelectItem struct {
	Pos   Position
	Star  bool   // the item is *; Expr is nil and Alias is ""
	Expr  Expr   // nil when Star
	Alias string // the name after AS, as written (case-sensitive); "" if none
}

// OrderItem is one key of an ORDER BY clause.
type OrderItem struct {
	Pos  Position
	Expr Expr
	Desc bool // DESC was given; ASC, the default, is not recorded
}

// Explain is EXPLAIN [ANALYZE] stmt: the executor prints the plan it runs
// Stmt by, a tree of operators (for instance an index search or an exact
// scan); with ANALYZE it runs the plan and adds each operator's rows and
// time. The grammar accepts only SELECT after EXPLAIN for now, so Stmt is a
// *Select.
type Explain struct {
	Pos, End Position
	Analyze  bool
	Stmt     Statement
}

// CreateTable is CREATE TABLE [IF NOT EXISTS] table (options), for instance
// CREATE TABLE pets (dim = 3). The grammar requires at least one option and
// leaves their meaning to the executor.
type CreateTable struct {
	Pos, End    Position
	IfNotExists bool
	Table       *TableName
	Options     []Option    // dim = 3, metric = 'dot'...
	Columns     []ColumnDef // the user columns, in order
}

// Insert is INSERT [OR REPLACE] INTO table [(columns)] VALUES (row), ... or
// INSERT [OR REPLACE] INTO table [(columns)] SELECT ...
type Insert struct {
	Pos, End  Position
	OrReplace bool
	Table     *TableName
	Columns   []*Ident // empty when no column list was given
	// Rows holds at least one row, except in an INSERT that a Script
	// returned, whose rows Script.Rows reads a batch at a time, and in
	// INSERT ... SELECT, which has Select instead.
	Rows []Row
	// Select gives the rows of INSERT INTO t [(columns)] SELECT ...; nil
	// for VALUES.
	Select *Select
}

// Row is one parenthesised row of values of an INSERT.
type Row struct {
	Pos    Position
	Values []Expr // at least one
}

// Delete is DELETE FROM table [WHERE cond].
type Delete struct {
	Pos, End Position
	Table    *TableName
	Where    Expr // nil when there is no WHERE: delete every row
}

// AlterTable is ALTER TABLE table RENAME TO new_name, ADD [COLUMN] name
// TYPE [DEFAULT v] [NOT NULL], or DROP [COLUMN] name.
type AlterTable struct {
	Pos, End   Position
	Table      *TableName
	NewName    *TableName // RENAME TO; nil otherwise
	AddColumn  *ColumnDef // ADD COLUMN; nil otherwise
	DropColumn *Ident     // DROP COLUMN; nil otherwise
}

// ---------------------------------------------------------------------------
// Parts of statements

// TableName names a table. Name is case-sensitive: it is the identifier as
// written, or the content of a quoted identifier ("My Table").
type TableName struct {
	Pos  Position
	Name string
}

// Option is one name = value pair of a WITH (...) list or of CREATE TABLE's
// parenthesised list. Option names are case-insensitive: Name is lower-cased
// unless it was written as a quoted identifier. The value is any
// expression; a reserved word written as the value becomes an *Ident with
// its lower-case spelling, as in Set.
type Option struct {
	Pos   Position
	Name  string
	Value Expr
}

// ---------------------------------------------------------------------------
// Expressions

// NumberLit is a number. A unary minus written before a number is folded
// into it, so -2 is a NumberLit with Text "-2"; parsed numbers are otherwise
// non-negative. An integer that does not fit in an int64 becomes a float.
type NumberLit struct {
	Pos   Position
	Text  string  // the literal as written (with the folded sign, if any)
	IsInt bool    // the literal is an integer that fits in an int64
	Int   int64   // the value when IsInt
	Float float64 // the value, also set (rounded) when IsInt
}

// StringLit is a string in single quotes. Value is its content, with each
// doubled quote inside it turned back into one.
type StringLit struct {
	Pos   Position
	Value string
}

// BoolLit is TRUE or FALSE.
type BoolLit struct {
	Pos   Position
	Value bool
}

// NullLit is NULL.
type NullLit struct {
	Pos Position
}

// VectorLit is a vector literal such as [0.1, -2, 3e-4].
//
// A literal of plain numbers (each with an optional minus sign), which an
// INSERT of embeddings repeats thousands of times, is held flat: Elems is
// nil and the values sit in one slice, since a *NumberLit per element
// cost some 80 bytes for 10 of text. [VectorLit.Len], [VectorLit.Elem] and
// [VectorLit.AppendFloat32s] read either form; Elem gives a flat
// element as the *NumberLit the other form would hold. Any other literal
// ([1 + 1, ?]) holds its elements as expressions in Elems.
type VectorLit struct {
	Pos   Position
	Elems []Expr // the elements, unless the literal is held flat

	text string    // a flat literal as written, from '[' to ']'
	nums []float64 // the values of a flat literal's elements (NumberLit.Float)
	ints bool      // some element of a flat literal has neither point nor exponent
}

// Ident is a bare word: a column (id, word, count, vector) or a value such
// as on in SET exact = on. Name is case-sensitive, as written or quoted.
type Ident struct {
	Pos  Position
	Name string
}

// Param is a ? positional parameter. Index counts from 1 in order of
// appearance within the statement.
type Param struct {
	Pos   Position
	Index int
}

// Call is a function call such as NEAREST('python', 5) or COUNT(*). Name is
// upper-cased and is one of [Functions]; which functions exist, and with
// which arguments, is the executor's business.
type Call struct {
	Pos  Position
	Name string
	Args []Expr
	Star bool // the argument list is * (COUNT(*)); Args is empty
}

// Unary is a prefix operation: -X (OpNeg) or NOT X (OpNot). A unary plus
// is accepted and dropped.
type Unary struct {
	Pos Position
	Op  Op
	X   Expr
}

// Binary is a binary operation L Op R. Pos is the operator's position.
type Binary struct {
	Pos  Position
	Op   Op
	L, R Expr
}

// In is X [NOT] IN (list). Pos is the position of IN (or of NOT).
type In struct {
	Pos  Position
	X    Expr
	List []Expr // at least one
	Not  bool
}

// Like is X [NOT] LIKE pattern. Pos is the position of LIKE (or of NOT).
type Like struct {
	Pos     Position
	X       Expr
	Pattern Expr
	Not     bool
}

// ---------------------------------------------------------------------------
// Interface plumbing

// Position returns x.Pos.
func (x *Select) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Explain) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *CreateTable) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Insert) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Delete) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *AlterTable) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *SelectItem) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *OrderItem) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Row) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *TableName) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Option) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *NumberLit) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *StringLit) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *BoolLit) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *NullLit) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *VectorLit) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Ident) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Param) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Call) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Unary) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Binary) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *In) Position() Position { return x.Pos }

// Position returns x.Pos.
func (x *Like) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *Select) Span() (pos, end Position) { return x.Pos, x.End }

// Span returns the statement's extent; see [Statement].
func (x *Explain) Span() (pos, end Position) { return x.Pos, x.End }

// Span returns the statement's extent; see [Statement].
func (x *CreateTable) Span() (pos, end Position) { return x.Pos, x.End }

// Span returns the statement's extent; see [Statement].
func (x *Insert) Span() (pos, end Position) { return x.Pos, x.End }

// Span returns the statement's extent; see [Statement].
func (x *Delete) Span() (pos, end Position) { return x.Pos, x.End }

// Span returns the statement's extent; see [Statement].
func (x *AlterTable) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Select) NumParams() int { return countParams(x) }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Explain) NumParams() int { return countParams(x) }

// NumParams returns the number of ? parameters; see [Statement].
func (x *CreateTable) NumParams() int { return countParams(x) }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Insert) NumParams() int { return countParams(x) }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Delete) NumParams() int { return countParams(x) }

// NumParams returns the number of ? parameters; see [Statement].
func (x *AlterTable) NumParams() int { return countParams(x) }

func (*Select) stmtNode()      {}
func (*Explain) stmtNode()     {}
func (*CreateTable) stmtNode() {}
func (*Insert) stmtNode()      {}
func (*Delete) stmtNode()      {}
func (*AlterTable) stmtNode()  {}

func (*NumberLit) exprNode() {}
func (*StringLit) exprNode() {}
func (*BoolLit) exprNode()   {}
func (*NullLit) exprNode()   {}
func (*VectorLit) exprNode() {}
func (*Ident) exprNode()     {}
func (*Param) exprNode()     {}
func (*Call) exprNode()      {}
func (*Unary) exprNode()     {}
func (*Binary) exprNode()    {}
func (*In) exprNode()        {}
func (*Like) exprNode()      {}

// Float32 returns the number rounded to float32 once, from its text when it
// has one (so that 0.1 gives exactly float32(0.1) without double rounding),
// else from Float. Vectors are stored as float32, so executors should use
// it for vector elements.
func (x *NumberLit) Float32() float32 {
	if x.Text != "" {
		if f, err := strconv.ParseFloat(x.Text, 32); err == nil {
			return float32(f)
		}
	}
	return float32(x.Float)
}

// countParams returns the highest ? parameter index under n, which is the
// number of parameters since they are numbered 1, 2, ... in order.
func countParams(n Node) int {
	max := 0
	Walk(n, func(n Node) bool {
		if p, ok := n.(*Param); ok && p.Index > max {
			max = p.Index
		}
		return !isFlatVector(n)
	})
	return max
}

// name returns t's name, or "" for no table.
func (t *TableName) name() string {
	if t == nil {
		return ""
	}
	return t.Name
}

// TableName returns the FROM table's name.
func (x *Select) TableName() string { return x.From.name() }

// TableName returns that of the statement explained.
func (x *Explain) TableName() string { return x.Stmt.TableName() }

// TableName returns the table created.
func (x *CreateTable) TableName() string { return x.Table.name() }

// TableName returns the table inserted into.
func (x *Insert) TableName() string { return x.Table.name() }

// TableName returns the table deleted from.
func (x *Delete) TableName() string { return x.Table.name() }

// TableName returns the table's new name.
func (x *AlterTable) TableName() string { return x.NewName.name() }

// TableName returns "": BACKUP copies the whole file.
