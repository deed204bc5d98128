package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// ColType is the type of a user column: what its values are.
type ColType uint8

// The column types. Values of a column are, in Go: TEXT string, INTEGER
// int64, REAL float64, BOOLEAN bool, JSON string (compact JSON text); nil
// is NULL in every type.
const (
	ColText ColType = iota + 1
	ColInteger
	ColReal
	ColBoolean
	ColJSON
)

var colTypeNames = map[ColType]string{ColText: "TEXT", ColInteger: "INTEGER", ColReal: "REAL", ColBoolean: "BOOLEAN", ColJSON: "JSON"}

// String returns the type's SQL name.
func (c ColType) String() string {
	if s, ok := colTypeNames[c]; ok {
		return s
	}
	return fmt.Sprintf("ColType(%d)", uint8(c))
}

// ParseColType reads a type name, case-insensitively; the usual synonyms
// (INT, BIGINT, FLOAT, DOUBLE, BOOL, VARCHAR) are accepted.
func ParseColType(s string) (ColType, bool) {
	switch strings.ToUpper(s) {
	case "TEXT", "VARCHAR", "STRING":
		return ColText, true
	case "INTEGER", "INT", "BIGINT":
		return ColInteger, true
	case "REAL", "FLOAT", "DOUBLE":
		return ColReal, true
	case "BOOLEAN", "BOOL":
		return ColBoolean, true
	case "JSON":
		return ColJSON, true
	}
	return 0, false
}

// MarshalJSON writes the type by name.
func (c ColType) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// UnmarshalJSON reads a type by name.
func (c *ColType) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t, ok := ParseColType(s)
	if !ok {
		return fmt.Errorf("unknown column type %q", s)
	}
	*c = t
	return nil
}

// chunkRows is how many rows one chunk of a column of the type holds. A
// chunk of fixed-size values fills four 4 KiB pages with its headers, as
// the vector chunks fill sixteen, so that a column costs little more than
// its values; a chunk of text, whose size varies, holds 128 values.
func (c ColType) chunkRows() int {
	const room = 4*4096 - 64 // bbolt's page and element headers, the key, flags, count and checksum
	switch c {
	case ColBoolean:
		return room
	case ColInteger, ColReal:
		return room / 8
	}
	return 128
}

// ColumnTypeError reports a value of the wrong type for a column.
type ColumnTypeError struct {
	Column string
	Want   ColType
	Got    string // what was given, described ("text 'abc'")
}

// Error says which column, its type and what was given.
func (e *ColumnTypeError) Error() string {
	return fmt.Sprintf("column %s is %s, cannot store %s", Quote(e.Column), e.Want, e.Got)
}

// ErrNotNull is wrapped by the error for a NULL stored in a NOT NULL column.
var ErrNotNull = errors.New("db: NOT NULL constraint failed")

// NotNullError is the error for a NULL in NOT NULL column col of the row
// with word ("" when unknown).
func NotNullError(word, col string) error {
	if word == "" {
		return fmt.Errorf("%w: column %s cannot be NULL", ErrNotNull, Quote(col))
	}
	return fmt.Errorf("%w: row %s: column %s cannot be NULL", ErrNotNull, Quote(word), Quote(col))
}

// ErrNoColumn means a column named by a statement or call does not exist.
var ErrNoColumn = errors.New("db: no such column")

// Coerce converts v to the column type's Go value, or says why it cannot:
// INTEGER takes integers (and floats with no fraction), REAL any number,
// JSON a valid JSON text or any Go value encoding/json can write.
func (c ColType) Coerce(v any) (any, bool) {
	if v == nil {
		return nil, true
	}
	switch c {
	case ColText:
		s, ok := v.(string)
		return s, ok
	case ColInteger:
		return coerceInt(v)
	case ColReal:
		return coerceReal(v)
	case ColBoolean:
		b, ok := v.(bool)
		return b, ok
	case ColJSON:
		return coerceJSON(v)
	}
	return nil, false
}

func coerceInt(v any) (any, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x), true
		}
	case float32:
		return coerceInt(float64(x))
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, true
		}
	}
	return nil, false
}

func coerceReal(v any) (any, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case float32:
		return coerceReal(float64(x))
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return nil, false
}

func coerceJSON(v any) (any, bool) {
	if s, ok := v.(string); ok {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(s)); err != nil {
			return nil, false
		}
		return buf.String(), true
	}
	if _, isVec := v.([]float32); isVec {
		b, _ := json.Marshal(v)
		return string(b), true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	return string(b), true
}

// DescribeValue names a value and its type for an error message.
func DescribeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return "text " + Quote(x)
	case int64, int, int32:
		return fmt.Sprintf("integer %d", x)
	case float64, float32:
		return fmt.Sprintf("real %v", x)
	case bool:
		if x {
			return "boolean TRUE"
		}
		return "boolean FALSE"
	case []float32:
		return fmt.Sprintf("a vector of length %d", len(x))
	}
	return fmt.Sprintf("%T", v)
}

// Column is a user column of a table.
type Column struct {
	Name    string  `json:"name"`
	Type    ColType `json:"type"`
	NotNull bool    `json:"not_null,omitempty"`
	// Default is the value a row gets when an INSERT does not set the
	// column; nil for NULL.
	Default any `json:"-"`
	// ID names the column's chunks; never reused within a table, so that a
	// dropped column's chunks are never read as another's.
	ID uint32 `json:"id"`
	// Fill is the value of rows that existed before ADD COLUMN (its
	// default then): their slots were never written.
	Fill any `json:"-"`
	// Rows is how many rows one chunk of the column holds.
	Rows int `json:"rows"`

	// The JSON forms of Default and Fill, so that integers stay exact.
	DefaultJSON json.RawMessage `json:"default,omitempty"`
	FillJSON    json.RawMessage `json:"fill,omitempty"`
}

// encodeValues fills the JSON forms before the column is saved.
func (c *Column) encodeValues() {
	c.DefaultJSON, c.FillJSON = valueJSON(c.Default), valueJSON(c.Fill)
}

// decodeValues reads the JSON forms after the column is loaded.
func (c *Column) decodeValues() error {
	var err error
	if c.Default, err = jsonValue(c.Type, c.DefaultJSON); err != nil {
		return err
	}
	c.Fill, err = jsonValue(c.Type, c.FillJSON)
	return err
}

func valueJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	return b
}

func jsonValue(t ColType, raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	out, ok := t.Coerce(v)
	if !ok {
		return nil, fmt.Errorf("stored value %s is not %s", raw, t)
	}
	return out, nil
}

// CheckValue converts v for column c, or returns a *ColumnTypeError, or
// an error wrapping ErrNotNull.
func (c *Column) CheckValue(v any) (any, error) {
	out, ok := c.Type.Coerce(v)
	if !ok {
		got := DescribeValue(v)
		if c.Type == ColJSON {
			if _, isStr := v.(string); isStr {
				got += " (not valid JSON)"
			}
		}
		return nil, &ColumnTypeError{Column: c.Name, Want: c.Type, Got: got}
	}
	if out == nil && c.NotNull {
		return nil, NotNullError("", c.Name)
	}
	return out, nil
}
