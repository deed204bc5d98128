package query

import "reflect"

// Walk traverses the tree rooted at n in depth-first order, in the order the
// nodes appear in the source. It calls fn for each node; if fn returns
// false, Walk skips that node's children. Nil children (an absent WHERE, for
// instance) are not visited. Parts of statements (*SelectItem, *OrderItem,
// *Row, *TableName, *Option) are visited as nodes too, through pointers into
// their parent's slices, so fn may modify them in place. The elements of a
// flat vector literal (see VectorLit) are visited as NumberLits made for
// the visit: changing them changes nothing, and a walk that has no use for
// numbers is spared making them if fn returns false for a *VectorLit
// whose Elems is nil.
func Walk(n Node, fn func(Node) bool) {
	if n == nil || isNilNode(n) || !fn(n) {
		return
	}
	if !walkStatement(n, fn) {
		walkExprChildren(n, fn)
	}
}

// walkStatement walks the children of n if n is a statement or a part of
// one (an item, a row, an option), and reports whether it was.
func walkStatement(n Node, fn func(Node) bool) bool {
	switch x := n.(type) {
	case *Select:
		for i := range x.Items {
			Walk(&x.Items[i], fn)
		}
		walkTable(x.From, fn)
		walkExpr(x.Where, fn)
		for _, g := range x.GroupBy {
			walkExpr(g, fn)
		}
		walkExpr(x.Having, fn)
		for i := range x.OrderBy {
			Walk(&x.OrderBy[i], fn)
		}
		walkExpr(x.Limit, fn)
		walkExpr(x.Offset, fn)
	case *SelectItem:
		walkExpr(x.Expr, fn)
	case *OrderItem:
		walkExpr(x.Expr, fn)
	case *Explain:
		if x.Stmt != nil {
			Walk(x.Stmt, fn)
		}
	case *CreateTable:
		walkTable(x.Table, fn)
		walkOptions(x.Options, fn)
		for i := range x.Columns {
			walkExpr(x.Columns[i].Default, fn)
		}
	case *Insert:
		walkTable(x.Table, fn)
		for _, c := range x.Columns {
			if c != nil {
				Walk(c, fn)
			}
		}
		for i := range x.Rows {
			Walk(&x.Rows[i], fn)
		}
		if x.Select != nil {
			Walk(x.Select, fn)
		}
	case *Row:
		for _, v := range x.Values {
			walkExpr(v, fn)
		}
	case *Delete:
		walkTable(x.Table, fn)
		walkExpr(x.Where, fn)
	case *AlterTable:
		walkTable(x.Table, fn)
		walkTable(x.NewName, fn)
		if x.AddColumn != nil {
			walkExpr(x.AddColumn.Default, fn)
		}
		walkExpr(x.DropColumn, fn)
	case *Option:
		walkExpr(x.Value, fn)
	case ownStatement:
		x.walk(fn)
	default:
		return false
	}
	return true
}

// walkExprChildren walks the children of the expression n.
func walkExprChildren(n Node, fn func(Node) bool) {
	switch x := n.(type) {
	case *VectorLit:
		x.each(func(i int, pos Position, lit string) bool {
			Walk(x.numberAt(i, pos, lit), fn)
			return true
		})
		for _, e := range x.Elems {
			walkExpr(e, fn)
		}
	case *Call:
		for _, a := range x.Args {
			walkExpr(a, fn)
		}
	case *Unary:
		walkExpr(x.X, fn)
	case *Binary:
		walkExpr(x.L, fn)
		walkExpr(x.R, fn)
	case *In:
		walkExpr(x.X, fn)
		for _, e := range x.List {
			walkExpr(e, fn)
		}
	case *Like:
		walkExpr(x.X, fn)
		walkExpr(x.Pattern, fn)
	case *IsNull:
		walkExpr(x.X, fn)
	}
}

func walkExpr(e Expr, fn func(Node) bool) {
	if e != nil {
		Walk(e, fn)
	}
}

func walkTable(t *TableName, fn func(Node) bool) {
	if t != nil {
		Walk(t, fn)
	}
}

func walkOptions(opts []Option, fn func(Node) bool) {
	for i := range opts {
		Walk(&opts[i], fn)
	}
}

// isNilNode reports whether n is an interface holding a nil pointer, which
// a hand-built tree may contain; Walk skips such nodes rather than crash.
func isNilNode(n Node) bool {
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
