package query

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// QuoteIdent returns name as the language writes it: bare when it is a
// valid identifier and not a reserved word, else in double quotes with
// embedded double quotes doubled ("My Table", "select"). Executors can use it
// to name tables and columns in messages. No name is empty: QuoteIdent("")
// returns "", which the parser rejects.
func QuoteIdent(name string) string {
	if isBareWord(name) && !isReserved(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteString returns s as a string literal: in single quotes, with
// embedded single quotes doubled. Backslashes have no special meaning.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// optionName prints an option or setting name. Any lower-case word is
// accepted bare in that position, reserved words included (limit = 10).
func optionName(name string) string {
	if isBareWord(name) && strings.ToLower(name) == name {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Precedence levels, loosest first; see Op.
const (
	precOr = iota + 1
	precAnd
	precNot
	precCmp
	precAdd
	precMul
	precNeg
	precJSON
	precPrimary
)

func (op Op) prec() int {
	switch op {
	case OpOr:
		return precOr
	case OpAnd:
		return precAnd
	case OpNot:
		return precNot
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe:
		return precCmp
	case OpAdd, OpSub:
		return precAdd
	case OpMul, OpDiv:
		return precMul
	case OpNeg:
		return precNeg
	case OpJSON, OpJSONText:
		return precJSON
	}
	return precPrimary
}

// exprPrec returns how tightly e binds when printed.
func exprPrec(e Expr) int {
	switch x := e.(type) {
	case *Binary:
		return x.Op.prec()
	case *Unary:
		return x.Op.prec()
	case *In, *Like, *IsNull:
		return precCmp
	case *NumberLit:
		if x.negative() {
			return precNeg // prints with a leading minus, like -x
		}
	}
	return precPrimary
}

func (x *NumberLit) negative() bool {
	if x.IsInt {
		return x.Int < 0
	}
	return math.Signbit(x.Float)
}

// printer accumulates SQL text.
type printer struct {
	strings.Builder
}

// expr writes e, in parentheses when it binds more loosely than min.
func (p *printer) expr(e Expr, min int) {
	if e == nil || isNilNode(e) {
		p.WriteString("<nil>")
		return
	}
	if exprPrec(e) < min {
		p.WriteByte('(')
		p.expr(e, 0)
		p.WriteByte(')')
		return
	}
	switch x := e.(type) {
	case *NumberLit:
		p.number(x)
	case *StringLit:
		p.WriteString(QuoteString(x.Value))
	case *BoolLit:
		if x.Value {
			p.WriteString("TRUE")
		} else {
			p.WriteString("FALSE")
		}
	case *NullLit:
		p.WriteString("NULL")
	case *VectorLit:
		p.WriteByte('[')
		if x.text != "" {
			p.flatVector(x)
		} else {
			p.list(x.Elems)
		}
		p.WriteByte(']')
	case *Ident:
		p.WriteString(QuoteIdent(x.Name))
	case *Param:
		p.WriteByte('?')
	case *Call:
		p.WriteString(x.Name)
		p.WriteByte('(')
		if x.Star {
			p.WriteByte('*')
		} else {
			p.list(x.Args)
		}
		p.WriteByte(')')
	case *Unary:
		p.unary(x)
	case *Binary:
		prec := x.Op.prec()
		p.expr(x.L, prec)
		p.WriteByte(' ')
		p.WriteString(x.Op.String())
		p.WriteByte(' ')
		p.expr(x.R, prec+1) // left-associative: a - (b - c) keeps its parentheses
	case *In, *Like, *IsNull:
		p.predicate(x)
	}
}

// unary prints a NOT or a sign and its operand.
func (p *printer) unary(x *Unary) {
	if x.Op == OpNot {
		p.WriteString("NOT ")
		p.expr(x.X, precNot)
	} else {
		p.WriteString(x.Op.String())
		if exprPrec(x.X) == precNeg {
			// -a or -1: a space, as "--" would start a comment.
			// Not parentheses, which would nest deeper than the
			// source did.
			p.WriteByte(' ')
			p.expr(x.X, precNeg)
		} else {
			p.expr(x.X, precPrimary)
		}
	}
}

// predicate prints an IN, LIKE or IS NULL test.
func (p *printer) predicate(e Expr) {
	switch x := e.(type) {
	case *In:
		p.expr(x.X, precCmp)
		if x.Not {
			p.WriteString(" NOT")
		}
		p.WriteString(" IN (")
		p.list(x.List)
		p.WriteByte(')')
	case *Like:
		p.expr(x.X, precCmp)
		if x.Not {
			p.WriteString(" NOT")
		}
		p.WriteString(" LIKE ")
		p.expr(x.Pattern, precCmp+1)
	case *IsNull:
		p.expr(x.X, precCmp+1)
		if x.Not {
			p.WriteString(" IS NOT NULL")
		} else {
			p.WriteString(" IS NULL")
		}
	}
}

func (p *printer) list(es []Expr) {
	for i, e := range es {
		if i > 0 {
			p.WriteString(", ")
		}
		p.expr(e, 0)
	}
}

func (p *printer) table(t *TableName) {
	if t == nil {
		p.WriteString("<nil>")
		return
	}
	p.WriteString(QuoteIdent(t.Name))
}

// value writes an option or SET value: a reserved word that the grammar
// turned into an *Ident (on, in SET exact = on) goes back bare.
func (p *printer) value(e Expr) {
	if id, ok := e.(*Ident); ok && id != nil && isBareValueWord(id.Name) {
		p.WriteString(id.Name)
		return
	}
	p.expr(e, 0)
}

// isBareValueWord reports whether name is a lower-case reserved word that
// the grammar accepts bare as an option value: one that cannot begin an
// expression.
func isBareValueWord(name string) bool {
	if strings.ToLower(name) != name || !isReserved(name) {
		return false
	}
	switch name {
	case "not", "true", "false", "null":
		return false
	}
	return true
}

func (p *printer) option(o *Option) {
	p.WriteString(optionName(o.Name))
	p.WriteString(" = ")
	p.value(o.Value)
}

func (p *printer) options(opts []Option) {
	p.WriteByte('(')
	for i := range opts {
		if i > 0 {
			p.WriteString(", ")
		}
		p.option(&opts[i])
	}
	p.WriteByte(')')
}

func (p *printer) with(opts []Option) {
	if len(opts) > 0 {
		p.WriteString(" WITH ")
		p.options(opts)
	}
}

func (p *printer) selectItem(it *SelectItem) {
	if it.Star {
		p.WriteByte('*')
		return
	}
	p.expr(it.Expr, 0)
	if it.Alias != "" {
		p.WriteString(" AS ")
		p.WriteString(QuoteIdent(it.Alias))
	}
}

func (p *printer) orderItem(it *OrderItem) {
	p.expr(it.Expr, 0)
	if it.Desc {
		p.WriteString(" DESC")
	}
}

func (p *printer) row(r *Row) {
	p.WriteByte('(')
	p.list(r.Values)
	p.WriteByte(')')
}

func (p *printer) stmt(s Statement) {
	if s == nil || isNilNode(s) {
		p.WriteString("<nil>")
		return
	}
	switch x := s.(type) {
	case *Select:
		p.selectStmt(x)
	case *Explain:
		p.WriteString("EXPLAIN ")
		if x.Analyze {
			p.WriteString("ANALYZE ")
		}
		p.stmt(x.Stmt)
	case *CreateTable:
		p.WriteString("CREATE TABLE ")
		if x.IfNotExists {
			p.WriteString("IF NOT EXISTS ")
		}
		p.table(x.Table)
		p.WriteByte(' ')
		p.createTableList(x.Options, x.Columns)
	case *Insert:
		p.WriteString("INSERT ")
		if x.OrReplace {
			p.WriteString("OR REPLACE ")
		}
		p.WriteString("INTO ")
		p.table(x.Table)
		if len(x.Columns) > 0 {
			p.WriteString(" (")
			for i, c := range x.Columns {
				if i > 0 {
					p.WriteString(", ")
				}
				p.expr(c, 0)
			}
			p.WriteByte(')')
		}
		if x.Select != nil {
			p.WriteByte(' ')
			p.stmt(x.Select)
			break
		}
		p.WriteString(" VALUES ")
		for i := range x.Rows {
			if i > 0 {
				p.WriteString(", ")
			}
			p.row(&x.Rows[i])
		}
	case *Delete:
		p.WriteString("DELETE FROM ")
		p.table(x.Table)
		if x.Where != nil {
			p.WriteString(" WHERE ")
			p.expr(x.Where, 0)
		}
	case *AlterTable:
		p.WriteString("ALTER TABLE ")
		p.table(x.Table)
		switch {
		case x.AddColumn != nil:
			p.WriteString(" ADD COLUMN ")
			p.columnDef(x.AddColumn)
		case x.DropColumn != nil:
			p.WriteString(" DROP COLUMN ")
			p.expr(x.DropColumn, 0)
		default:
			p.WriteString(" RENAME TO ")
			p.table(x.NewName)
		}
	case ownStatement:
		x.print(p)
	}
}

// selectStmt writes a SELECT.
func (p *printer) selectStmt(x *Select) {
	p.WriteString("SELECT ")
	for i := range x.Items {
		if i > 0 {
			p.WriteString(", ")
		}
		p.selectItem(&x.Items[i])
	}
	if x.From != nil {
		p.WriteString(" FROM ")
		p.table(x.From)
	}
	if x.Where != nil {
		p.WriteString(" WHERE ")
		p.expr(x.Where, 0)
	}
	if len(x.GroupBy) > 0 {
		p.WriteString(" GROUP BY ")
		p.list(x.GroupBy)
	}
	if x.Having != nil {
		p.WriteString(" HAVING ")
		p.expr(x.Having, 0)
	}
	for i := range x.OrderBy {
		if i == 0 {
			p.WriteString(" ORDER BY ")
		} else {
			p.WriteString(", ")
		}
		p.orderItem(&x.OrderBy[i])
	}
	if x.Limit != nil {
		p.WriteString(" LIMIT ")
		p.expr(x.Limit, 0)
	}
	if x.Offset != nil {
		p.WriteString(" OFFSET ")
		p.expr(x.Offset, 0)
	}
}

// number writes a number in the shortest form that reads back to the same
// value: integers in decimal, floats in the shortest round-trip form with
// ".0" added where it would otherwise read back as an integer.
func (p *printer) number(x *NumberLit) {
	p.numberValue(x.IsInt, x.Int, x.Float)
}

// flatVector writes the elements of a flat vector literal as number does
// the NumberLits they stand for.
func (p *printer) flatVector(x *VectorLit) {
	if !x.ints {
		// Every element has a point or an exponent: a float, whose text
		// has nothing more to tell.
		for i, f := range x.nums {
			if i > 0 {
				p.WriteString(", ")
			}
			p.numberValue(false, 0, f)
		}
		return
	}
	var lit string
	for i, k := 1, 0; i < len(x.text); k++ {
		if k > 0 {
			p.WriteString(", ")
		}
		lit, i = nextNumber(x.text, i)
		var n int64
		isInt := false
		if isIntText(lit) {
			var err error
			n, err = strconv.ParseInt(lit, 10, 64)
			isInt = err == nil
		}
		p.numberValue(isInt, n, x.nums[k])
	}
}

// numberValue writes a number: n when isInt, else f.
func (p *printer) numberValue(isInt bool, n int64, f float64) {
	var buf [32]byte
	if isInt {
		p.Write(strconv.AppendInt(buf[:0], n, 10))
		return
	}
	b := strconv.AppendFloat(buf[:0], f, 'g', -1, 64)
	p.Write(b)
	if !bytes.ContainsAny(b, ".eIN") { // I and N: ±Inf and NaN
		p.WriteString(".0")
	}
}

func exprString(e Expr) string {
	var p printer
	p.expr(e, 0)
	return p.String()
}

func stmtString(s Statement) string {
	var p printer
	p.stmt(s)
	return p.String()
}

// Format prints statements as a script: each statement's canonical text
// followed by ";" and a newline.
func Format(stmts []Statement) string {
	var p printer
	for _, s := range stmts {
		p.stmt(s)
		p.WriteString(";\n")
	}
	return p.String()
}

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Select) String() string { return stmtString(x) }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Explain) String() string { return stmtString(x) }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *CreateTable) String() string { return stmtString(x) }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Insert) String() string { return stmtString(x) }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Delete) String() string { return stmtString(x) }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *AlterTable) String() string { return stmtString(x) }

// String returns the item as SQL: * or the expression and its alias.
func (x *SelectItem) String() string {
	var p printer
	p.selectItem(x)
	return p.String()
}

// String returns the ORDER BY key as SQL, with DESC when descending.
func (x *OrderItem) String() string {
	var p printer
	p.orderItem(x)
	return p.String()
}

// String returns the row as SQL: its values in parentheses.
func (x *Row) String() string {
	var p printer
	p.row(x)
	return p.String()
}

// String returns the table name, quoted if needed (see [QuoteIdent]).
func (x *TableName) String() string { return QuoteIdent(x.Name) }

// String returns the option as SQL: name = value.
func (x *Option) String() string {
	var p printer
	p.option(x)
	return p.String()
}

// String returns the expression as canonical SQL.
func (x *NumberLit) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *StringLit) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *BoolLit) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *NullLit) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *VectorLit) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *Ident) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *Param) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *Call) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *Unary) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *Binary) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *In) String() string { return exprString(x) }

// String returns the expression as canonical SQL.
func (x *Like) String() string { return exprString(x) }
