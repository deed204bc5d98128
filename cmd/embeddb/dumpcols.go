package main

import (
	"strings"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// The user columns in a dump: their definitions in CREATE TABLE, their
// values in each INSERT.

// columnDefs writes ", name TYPE [DEFAULT v] [NOT NULL]" per column.
func columnDefs(cols []db.Column) string {
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(", " + query.QuoteIdent(c.Name) + " " + c.Type.String())
		if c.Default != nil {
			b.WriteString(" DEFAULT " + sqlValue(c.Default))
		}
		if c.NotNull {
			b.WriteString(" NOT NULL")
		}
	}
	return b.String()
}

// columnNames writes ", name" per column.
func columnNames(cols []db.Column) string {
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(", " + query.QuoteIdent(c.Name))
	}
	return b.String()
}

// gapColumns are the column values of a dump's stand-in rows: NULL, or for
// a NOT NULL column a value of its type (the rows are deleted again).
func gapColumns(cols []db.Column) map[string]any {
	out := map[string]any{}
	for _, c := range cols {
		if !c.NotNull {
			continue
		}
		switch c.Type {
		case db.ColInteger:
			out[c.Name] = int64(0)
		case db.ColReal:
			out[c.Name] = 0.0
		case db.ColBoolean:
			out[c.Name] = false
		case db.ColJSON:
			out[c.Name] = "null"
		default:
			out[c.Name] = ""
		}
	}
	return out
}

// sqlValue writes a column value as a SQL literal that reads back the same.
func sqlValue(v any) string { return sqlLiteral(v, fullVectors) }
