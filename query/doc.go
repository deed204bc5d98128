// Package query is the embeddb language: lexer, grammar, syntax tree,
// canonical printing and positioned errors. It knows nothing of storage:
// package db runs the statements it produces.
//
// [Parse] reads a script of statements separated by ';' and
// [ParseStatement] exactly one; both return a syntax tree of the types in
// ast.go ([Select], [Train], [Insert]... holding [Expr] nodes such as
// [Call], [Binary] and [NumberLit]). Every node carries its [Position]
// and prints itself back as canonical SQL with String. A malformed
// statement gives an [*Error] that says where, what was expected and what
// was found:
//
//	1:22: expected table name, found 'WHERE'
//
// and [FormatError] draws the line with a caret under the spot. [Split]
// and [Blank] let a shell buffer lines until a statement is complete;
// [Keywords] and [Functions] feed its tab completion.
//
// # Examples
//
//	TRAIN w2v FROM 'train-data.txt' WITH (vector_size = 100, window = 5, min_count = 1, sg = 1);
//	TRAIN w2v FROM 'more.txt' WITH (update = true);
//	SELECT NEAREST('python', 5) FROM w2v;
//	SELECT NEAREST(VECTOR('king') - VECTOR('man') + VECTOR('woman'), 5) FROM w2v;
//	SELECT word, count FROM w2v WHERE word LIKE 'pyth%' ORDER BY count DESC LIMIT 10;
//	SELECT COUNT(*) FROM w2v;
//	CREATE TABLE pets (dim = 3);
//	INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]);
//	INSERT OR REPLACE INTO pets (word, vector) VALUES (?, ?);
//	DELETE FROM pets WHERE word IN ('cat', 'dog');
//	ALTER TABLE pets RENAME TO animals;
//	IMPORT glove FROM 'glove.6B.100d.txt' WITH (format = 'glove');
//	EXPORT w2v TO 'vectors.bin' WITH (format = 'word2vec', binary = true);
//	CREATE INDEX ON w2v USING hnsw WITH (m = 16, ef_construction = 200);
//	DROP INDEX IF EXISTS ON w2v;
//	SET ef_search = 64;  SET exact = on;
//	EVALUATE w2v WITH (analogies = 'questions-words.txt');
//	EXPLAIN SELECT NEAREST('python', 5) FROM w2v;
//	PLOT w2v NEAREST ('python', 30) TO 'python.png' WITH (method = 'tsne', perplexity = 10);
//	SHOW TABLES;  DESCRIBE w2v;  CHECK DATABASE;  BACKUP TO 'copy.db';  VACUUM INTO 'small.db';
//
// # Grammar
//
// In EBNF, with keywords in double quotes (they match in any case):
//
//	script       = [ statement ] { ";" [ statement ] } .
//	statement    = select | explain | train | import | export | create_table | create_index
//	             | insert | delete | drop_table | drop_index | alter_table | set
//	             | show_tables | describe | evaluate | check_database | backup | vacuum
//	             | plot .
//
//	select       = "SELECT" select_item { "," select_item } [ "FROM" table ] [ "WHERE" expr ]
//	               [ "ORDER" "BY" order_item { "," order_item } ] [ "LIMIT" expr ] [ "OFFSET" expr ] .
//	select_item  = "*" | expr [ "AS" name ] .
//	order_item   = expr [ "ASC" | "DESC" ] .
//	explain      = "EXPLAIN" select .
//	train        = "TRAIN" table "FROM" file { "," file } [ with ] .
//	import       = "IMPORT" table "FROM" file [ with ] .
//	export       = "EXPORT" table "TO" file [ with ] .
//	create_table = "CREATE" "TABLE" [ "IF" "NOT" "EXISTS" ] table options .
//	create_index = "CREATE" "INDEX" [ "IF" "NOT" "EXISTS" ] "ON" table [ "USING" name ] [ with ] .
//	insert       = "INSERT" [ "OR" "REPLACE" ] "INTO" table [ "(" name { "," name } ")" ]
//	               "VALUES" row { "," row } .
//	row          = "(" expr { "," expr } ")" .
//	delete       = "DELETE" "FROM" table [ "WHERE" expr ] .
//	drop_table   = "DROP" "TABLE" [ "IF" "EXISTS" ] table .
//	drop_index   = "DROP" "INDEX" [ "IF" "EXISTS" ] "ON" table .
//	alter_table  = "ALTER" "TABLE" table "RENAME" "TO" table .
//	set          = "SET" option_name ( "=" | "TO" ) value .
//	show_tables  = "SHOW" "TABLES" .
//	describe     = "DESCRIBE" table .
//	evaluate     = "EVALUATE" table with .
//	check_database = "CHECK" "DATABASE" .
//	backup       = "BACKUP" "TO" file .
//	vacuum       = "VACUUM" [ "INTO" file ] .
//	plot         = "PLOT" table [ "WORDS" "(" expr { "," expr } ")"
//	             | "NEAREST" "(" expr { "," expr } ")" ] [ "WHERE" expr ]
//	               [ "LIMIT" expr ] [ "TO" file ] [ with ] .   (WORDS in any case)
//
//	with         = "WITH" options .
//	options      = "(" option { "," option } ")" .
//	option       = option_name "=" value .
//	option_name  = ident | keyword | function | quoted_ident .   (any word; bare ones are lower-cased)
//	value        = expr | keyword .                             (SET exact = on)
//	table        = name .
//	name         = ident | quoted_ident | function .
//	file         = string | "?" .
//
//	expr         = and { "OR" and } .
//	and          = not { "AND" not } .
//	not          = "NOT" not | cmp .
//	cmp          = add { cmp_op add | [ "NOT" ] "LIKE" add | [ "NOT" ] "IN" "(" expr { "," expr } ")" } .
//	cmp_op       = "=" | "<>" | "!=" | "<" | "<=" | ">" | ">=" .
//	add          = mul { ( "+" | "-" ) mul } .
//	mul          = unary { ( "*" | "/" ) unary } .
//	unary        = ( "-" | "+" ) unary | primary .
//	primary      = number | string | "?" | "TRUE" | "FALSE" | "NULL"
//	             | "[" [ expr { "," expr } ] "]"
//	             | function "(" [ "*" | expr { "," expr } ] ")"
//	             | name | "(" expr ")" .
//
// Binary operators associate to the left, comparisons included, and bind
// from the loosest to the tightest: OR; AND; NOT; comparisons, LIKE and IN;
// + and -; * and /; unary minus. A unary minus before a number is folded
// into the [NumberLit]; a unary plus is dropped.
//
// # Lexical structure
//
//	ident        = ( letter | "_" ) { letter | digit | mark | "_" } .   (not a keyword or function)
//	quoted_ident = `"` { char | `""` } `"` .                            (not empty)
//	string       = "'" { char | "''" } "'" .
//	number       = digits [ "." [ digits ] ] [ exponent ] | "." digits [ exponent ] .
//	exponent     = ( "e" | "E" ) [ "+" | "-" ] digits .
//
// Letters and digits are Unicode's. Keywords ([Keywords]) and function
// names ([Functions]) are case-insensitive; identifiers are case-sensitive.
// A keyword can be used as a name by quoting it ("index"); function names
// need no quoting outside a call, which is why the columns count and vector
// can be written bare. Strings have no backslash escapes: 'C:\data\x.txt'
// means what it shows, and a quote inside a string is written twice.
// Numbers carry no sign; a minus sign is an operator of the grammar, so
// a-1 is a minus 1. Comments run from -- to the end of the line, or from
// /* to */ (not nested). A ? is a positional parameter, numbered from 1 in
// order of appearance within its statement ([Param]).
//
// # Errors
//
// Every error Parse, ParseStatement and ParseExpr return is an *Error
// wrapping [ErrSyntax], with the position of the offending token
// (Column counted in runes) and a message of the form "expected X, found
// Y". Common mistakes get a hint: a misspelt keyword ("did you mean
// LIMIT?"), a reserved word used as a name, a missing ';' between
// statements, an unterminated string (reported where it starts).
//
// # Concurrency
//
// The participle parser is built once, when the package is initialised,
// and is safe for concurrent use, as are all functions of the package.
// Syntax trees are plain data: a tree may be read from several goroutines,
// but one that is being modified must not be shared.
//
// # Caveats
//
// Brackets and prefix operators may nest at most 200 levels deep, deeper
// input is rejected with an error rather than risk the stack. The lists of
// a statement (the options of a WITH, the items of a SELECT...) may hold
// at most participle.MaxIterations (a million) items; the rows of an
// INSERT, the elements of a vector and the arguments of a call are not
// limited. A long script, or an INSERT of many rows, can be read a
// statement and a batch of rows at a time with [Script], so that it is
// never held parsed whole. Column positions count runes, so a caret drawn by FormatError
// under a line holding wide (East Asian) characters may sit a little to
// the left of the spot. Which functions exist, which options a statement
// takes and what their values mean is for the executor to check: the
// grammar only knows their shape.
package query
