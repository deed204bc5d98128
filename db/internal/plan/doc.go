// Package plan binds a statement to the database and plans it: it resolves
// the FROM table (BindTable, with a suggestion for a near name), checks the
// select list's names and shape (a column without a table, COUNT beside
// per-row values), and builds the tree of operators the executor runs and
// EXPLAIN prints (Build, BuildDelete): Scan, WordLookup, Filter, Project,
// Aggregate, HNSWSearch, ExactSearch, Tokenize, Result, Sort and Limit.
//
// The access decisions live here and only here: whether WHERE can use the
// words index, whether NEAREST searches the HNSW index or compares with
// every row (SET exact), and with which ef_search. The executor
// (package exec) runs the nodes it is given and decides nothing of its
// own, so EXPLAIN cannot drift from what runs.
//
// A plan is built once per statement, in the read transaction that runs
// it, and is not shared.
package plan
