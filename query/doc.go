// Package query is the embeddb language: lexer, grammar, syntax tree and
// canonical printing. It knows nothing of storage.
package query
