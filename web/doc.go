// Package web serves a local page for exploring a database's embeddings: a
// person types a word or a text, sees its nearest neighbours as a list and
// as a 2-D map (pan, zoom, click a point to re-centre), and switches
// tables. The page is plain HTML, CSS and a small script embedded in the
// binary; nothing is fetched from elsewhere.
//
// [Handler] answers only the page's own queries, each a fixed statement
// with its values passed as parameters: SHOW TABLES, DESCRIBE, NEAREST,
// TOKENS and PLOT without TO. It runs nothing that reads or writes files and
// nothing that writes to the database. It refuses requests whose Host or
// Origin header is not the loopback address it serves (a defence against
// DNS rebinding), methods other than GET and HEAD, long queries and large k.
//
// # Concurrency
//
// The handler is safe for concurrent use, as [db.DB] is.
package web
