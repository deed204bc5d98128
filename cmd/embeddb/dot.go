package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// dotCommand describes one of the shell's own commands.
type dotCommand struct {
	name, args string
	help       string // one line, for .help
	long       string // more, for .help NAME
	min, max   int    // how many arguments it takes; max -1: any number
	run        func(s *session, ctx context.Context, args []string, src source) (stop bool, err error)
}

// dotCommands are the shell's own commands, in the order .help lists
// them. It is filled in init, since some commands refer to the list.
var dotCommands []dotCommand

// dotAliases are other names of commands, as sqlite3 has them.
var dotAliases = map[string]string{".save": ".backup", ".headers": ".header", ".system": ".shell", ".indices": ".indexes"}

func init() {
	dotCommands = []dotCommand{
		{".backup", "FILE", "write a copy of the database to FILE (as BACKUP TO 'FILE')",
			"The copy is of one moment, made while reads and writes go on; it replaces FILE when\n" +
				"complete. .save is the same.", 1, 1, dotBackup},
		{".bail", "on|off", "stop a script at its first error (on by default in scripts)", "", 1, 1, dotBail},
		{".changes", "on|off", "print how many rows each statement changed",
			"After each statement: changes: N   total_changes: M (INSERT and DELETE change rows).", 1, 1, dotChanges},
		{".databases", "", "show the open database file", "Prints main: PATH r/w (or r/o).", 0, 0, dotDatabases},
		{".dump", "[TABLE]", "print SQL that rebuilds the database (or TABLE)",
			"The statements make each table again (CREATE TABLE), insert its rows with their words,\n" +
				"counts and vectors in id order, and build its index. embeddb a.db .dump | embeddb b.db\n" +
				"copies a database; b.db answers every query as a.db does. A trained table comes back\n" +
				"as a created one (its training state and tokenizer are not SQL).", 0, 1, dotDump},
		{".echo", "on|off", "print each statement or command before running it", "", 1, 1, dotEcho},
		{".exit", "", "leave the shell (as .quit)", "", 0, 0, dotQuit},
		{".header", "on|off", "print column names (on by default in the column modes)",
			"The column modes (table, box, markdown, column) print them unless .header off;\n" +
				"the others only after .header on. .headers is the same.", 1, 1, dotHeader},
		{".help", "[COMMAND]", "show this message, or more about COMMAND", "", 0, 1, dotHelp},
		{".import", "FILE TABLE", "insert the rows of a CSV or JSON Lines file into TABLE",
			"Options before FILE: --csv, --json, --skip N.\n" +
				"CSV: a record per row, word then vector: word,\"[0.1,0.2]\" or word,0.1,0.2; also\n" +
				"word,count,vector and id,word,count,vector (the id is not kept). A first record that\n" +
				"names the columns (word, count, vector, id) says where they are. JSON: one object a\n" +
				"line, or one array of them, {\"word\": \"cat\", \"count\": 3, \"vector\": [0.1, 0.2]}.\n" +
				"The format is JSON when the file starts with { or [, else CSV; --csv or --json says.\n" +
				"--skip N skips the first N records. TABLE is made (dim from the first row) if it does\n" +
				"not exist. Every row goes in, or none: one bad row leaves TABLE as it was.", 2, 6, dotImport},
		{".indexes", "[TABLE]", "list the tables' indexes", "One line per index: method, table and parameters. .indices is the same.", 0, 1, dotIndexes},
		{".mode", "[MODE] [TABLE]", "set (or show) the output mode",
			"Modes: table (the default), box, markdown, column, list, line, csv, tsv, json (one\n" +
				"array), jsonl (one object a line), quote (SQL literals) and insert (INSERT\n" +
				"statements into TABLE, \"table\" by default).", 0, 2, dotMode},
		{".nullvalue", "TEXT", "print NULL as TEXT", "By default the column modes print NULL and the others nothing.", 1, 1, dotNullValue},
		{".once", "FILE", "send the next command's output to FILE",
			"FILE is made or emptied; a FILE that starts with | is a shell command that reads the\n" +
				"output. Vectors are written in full.", 1, 1, dotOnce},
		{".open", "[FILE]", "close this database and open FILE",
			"--readonly opens it read-only; --new deletes FILE first (if it is a database). With\n" +
				"no FILE, a temporary database, deleted when it is closed.", 0, 3, dotOpen},
		{".output", "[FILE]", "send output to FILE, or back to standard output",
			"FILE is made or emptied; a FILE that starts with | is a shell command that reads the\n" +
				"output. Vectors are written in full. .output alone goes back to standard output.", 0, 1, dotOutput},
		{".plot", "[FILE] [NAME=VALUE...]", "draw a map of the last NEAREST result (as PLOT)",
			"Runs PLOT table NEAREST (...) TO 'FILE' WITH (NAME = VALUE, ...) for the last\n" +
				"SELECT NEAREST(...) FROM table: .plot python.svg method=tsne perplexity=10. On a\n" +
				"terminal that shows images (kitty, iTerm2, WezTerm, sixel: foot, mlterm) the PNG is\n" +
				"shown inline (and FILE kept only if given); elsewhere it is written to FILE,\n" +
				"plot-WORD.png by default, and the shell says where. EMBEDDB_IMAGES=kitty|iterm|sixel|none\n" +
				"overrides the guess.", 0, -1, dotPlot},
		{".print", "TEXT...", "print TEXT", "The words are printed separated by spaces.", 0, -1, dotPrint},
		{".quit", "", "leave the shell", "", 0, 0, dotQuit},
		{".read", "FILE", "run the statements and commands of FILE", "", 1, 1, dotRead},
		{".schema", "[TABLE]", "show the statements that made the tables", "", 0, 1, dotSchema},
		{".separator", "SEP", "set the separator of list mode (| by default)", `\t, \n and \\ are a tab, a newline and a backslash.`, 1, 1, dotSeparator},
		{".shell", "CMD [ARGS...]", "run CMD ARGS... in the system shell", ".system is the same.", 1, -1, dotShell},
		{".show", "", "show the current settings", "", 0, 0, dotShow},
		{".tables", "", "list the tables", "", 0, 0, dotTables},
		{".timeout", "MS", "wait up to MS milliseconds for a database another process is writing",
			"sqlite's busy timeout: a statement that finds the file locked by another process\n" +
				"waits up to MS milliseconds, saying on standard error that it waits, and then\n" +
				"fails with \"database is locked\". It applies to the open database and the\n" +
				"next .open. 0 does not wait; the default is 2000.", 1, 1, dotTimeout},
		{".timer", "on|off", "print how long each statement takes", "", 1, 1, dotTimer},
		{".vectors", "[full|short|auto|N]", "print vectors in full, shortened, or N values of them",
			"auto (the default) shortens them on a terminal, to their first and last values and\n" +
				"their length, and writes them in full elsewhere (a file, a pipe, .output). short\n" +
				"and N shorten them everywhere, full writes them in full everywhere. .vectors alone\n" +
				"shows the setting.", 0, 1, dotVectors},
		{".width", "[N...]", "set the column widths of the column modes",
			"0 fits the values, N > 0 is N characters (longer values wrap), N < 0 is -N\n" +
				"characters aligned right. .width alone goes back to fitting every column.", 0, -1, dotWidth},
	}
}

// findDot returns the command named name (or an alias of it).
func findDot(name string) *dotCommand {
	if a, ok := dotAliases[name]; ok {
		name = a
	}
	for i := range dotCommands {
		if dotCommands[i].name == name {
			return &dotCommands[i]
		}
	}
	return nil
}

// helpText is what .help prints.
func helpText() string {
	width := 0
	for _, c := range dotCommands {
		width = max(width, len(c.name)+1+len(c.args))
	}
	var b strings.Builder
	for _, c := range dotCommands {
		fmt.Fprintf(&b, "%-*s  %s\n", width, strings.TrimSpace(c.name+" "+c.args), c.help)
	}
	b.WriteString(`
Anything else is SQL, run when a line ends with ';' (a statement may span
lines). For example:

  TRAIN w2v FROM 'train-data.txt' WITH (vector_size = 100, min_count = 1);
  SELECT NEAREST('python', 5) FROM w2v;
  SHOW TABLES;  DESCRIBE w2v;

".help COMMAND" tells more about one command. Ctrl-C stops the running
statement or clears the input; Ctrl-D leaves.
`)
	return b.String()
}

// dotCommand runs one dot-command line, reported at line of src, and says
// whether to stop.
func (s *session) dotCommand(ctx context.Context, line string, src source, lineNo int) (stop bool) {
	if s.echo {
		s.out.WriteString(strings.TrimSpace(line) + "\n")
	}
	args, err := splitArgs(strings.TrimSpace(line))
	name := ""
	if len(args) > 0 {
		name = args[0]
		args = args[1:]
	}
	if err == nil {
		stop, err = s.dot(ctx, name, args, src)
	}
	s.flush()
	s.commandDone()
	if err != nil {
		s.failed = true
		fmt.Fprintf(s.errw, "%s%s: %s\n", locPrefix(src.name, lineNo, 0), screenText(name), message(err))
		return s.bail
	}
	return stop
}

func (s *session) dot(ctx context.Context, name string, args []string, src source) (stop bool, err error) {
	c := findDot(name)
	if c == nil {
		return false, fmt.Errorf("unknown command (enter \".help\" for the list)")
	}
	if s.refuse != nil {
		if err := s.refuse(c.name); err != nil {
			return false, err
		}
	}
	if len(args) < c.min || (c.max >= 0 && len(args) > c.max) {
		return false, fmt.Errorf("usage: %s", strings.TrimSpace(c.name+" "+c.args))
	}
	return c.run(s, ctx, args, src)
}

// onOff returns a dot-command that sets a flag of the session.
func onOff(field func(s *session) *bool) func(*session, context.Context, []string, source) (bool, error) {
	return func(s *session, _ context.Context, args []string, _ source) (bool, error) {
		on, err := parseOnOff(args[0])
		if err == nil {
			*field(s) = on
		}
		return false, err
	}
}

var (
	dotBail    = onOff(func(s *session) *bool { return &s.bail })
	dotChanges = onOff(func(s *session) *bool { return &s.changes })
	dotEcho    = onOff(func(s *session) *bool { return &s.echo })
	dotTimer   = onOff(func(s *session) *bool { return &s.timer })
)

func dotHeader(s *session, _ context.Context, args []string, _ source) (bool, error) {
	on, err := parseOnOff(args[0])
	if err == nil {
		s.header, s.headerSet = on, true
	}
	return false, err
}

func dotQuit(s *session, _ context.Context, _ []string, _ source) (bool, error) {
	s.quit = true
	return true, nil
}

func dotHelp(s *session, _ context.Context, args []string, _ source) (bool, error) {
	if len(args) == 0 {
		s.out.WriteString(helpText())
		return false, nil
	}
	name := args[0]
	if !strings.HasPrefix(name, ".") {
		name = "." + name
	}
	c := findDot(name)
	if c == nil {
		return false, fmt.Errorf("no command %s (enter \".help\" for the list)", name)
	}
	fmt.Fprintf(s.out, "%s\n  %s\n", strings.TrimSpace(c.name+" "+c.args), c.help)
	if c.long != "" {
		s.out.WriteString("\n" + c.long + "\n")
	}
	return false, nil
}

func dotTables(s *session, ctx context.Context, _ []string, _ source) (bool, error) {
	infos, err := s.db.Tables(ctx)
	if err != nil {
		return false, err
	}
	for _, in := range infos {
		fmt.Fprintln(s.out, query.QuoteIdent(in.Name))
	}
	return false, nil
}

// tablesNamed returns the table named by args, or every table.
func (s *session) tablesNamed(ctx context.Context, args []string) ([]*db.TableInfo, error) {
	if len(args) == 1 {
		in, err := s.db.Table(ctx, args[0])
		if err != nil {
			return nil, tableError(args[0], err)
		}
		return []*db.TableInfo{in}, nil
	}
	return s.db.Tables(ctx)
}

// tableError words a missing table as the SQL errors do.
func tableError(name string, err error) error {
	if errors.Is(err, db.ErrNoTable) {
		return fmt.Errorf("unknown table %q", name)
	}
	return err
}

func dotSchema(s *session, ctx context.Context, args []string, _ source) (bool, error) {
	infos, err := s.tablesNamed(ctx, args)
	if err != nil {
		return false, err
	}
	for _, in := range infos {
		s.out.WriteString(schemaOf(in))
	}
	return false, nil
}

func dotIndexes(s *session, ctx context.Context, args []string, _ source) (bool, error) {
	infos, err := s.tablesNamed(ctx, args)
	if err != nil {
		return false, err
	}
	for _, in := range infos {
		if ix := in.Index; ix != nil {
			fmt.Fprintf(s.out, "%s index on %s%s\n", ix.Method, query.QuoteIdent(in.Name), withList(ix.Params, measuredIndexParams, nil))
		}
	}
	return false, nil
}

func dotDatabases(s *session, _ context.Context, _ []string, _ source) (bool, error) {
	mode := "r/w"
	if s.db.ReadOnly() {
		mode = "r/o"
	}
	path := s.db.Path()
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // as sqlite3 shows it
	}
	fmt.Fprintf(s.out, "main: %s %s\n", path, mode)
	return false, nil
}

func dotMode(s *session, _ context.Context, args []string, _ source) (bool, error) {
	if len(args) == 0 {
		fmt.Fprintf(s.out, "current output mode: %s\n", s.mode)
		return false, nil
	}
	m, err := parseMode(args[0])
	if err != nil {
		return false, err
	}
	if len(args) == 2 && m != modeInsert {
		return false, errors.New("only insert mode takes a TABLE")
	}
	s.mode, s.table = m, ""
	if len(args) == 2 {
		s.table = args[1]
	}
	return false, nil
}

func dotNullValue(s *session, _ context.Context, args []string, _ source) (bool, error) {
	s.null, s.nullSet = args[0], true
	return false, nil
}

func dotSeparator(s *session, _ context.Context, args []string, _ source) (bool, error) {
	s.sep = strings.NewReplacer(`\t`, "\t", `\n`, "\n", `\\`, `\`).Replace(args[0])
	return false, nil
}

func dotWidth(s *session, _ context.Context, args []string, _ source) (bool, error) {
	widths := make([]int, len(args))
	for i, a := range args {
		n, err := strconv.Atoi(a)
		if err != nil || n < -1000 || n > 1000 {
			return false, fmt.Errorf("expected a width from -1000 to 1000, found %q", a)
		}
		widths[i] = n
	}
	s.widths = widths
	return false, nil
}

func dotVectors(s *session, _ context.Context, args []string, _ source) (bool, error) {
	if len(args) == 0 {
		fmt.Fprintf(s.out, "vectors: %s\n", vectorsSetting(s.vectors))
		return false, nil
	}
	switch strings.ToLower(args[0]) {
	case "full":
		s.vectors = fullVectors
	case "short":
		s.vectors = shortVectors
	case "auto":
		s.vectors = vectorsAuto
	default:
		n, err := strconv.Atoi(args[0])
		if err != nil || n < 1 {
			return false, fmt.Errorf("expected full, short, auto or a number of values (1 or more), found %q", args[0])
		}
		s.vectors = n
	}
	return false, nil
}

// vectorsSetting names a .vectors setting.
func vectorsSetting(n int) string {
	switch n {
	case vectorsAuto:
		return "auto"
	case fullVectors:
		return "full"
	}
	return strconv.Itoa(n)
}

func dotPrint(s *session, _ context.Context, args []string, _ source) (bool, error) {
	s.out.WriteString(strings.Join(args, " ") + "\n")
	return false, nil
}

func dotTimeout(s *session, _ context.Context, args []string, _ source) (bool, error) {
	ms, err := strconv.Atoi(args[0])
	if err != nil || ms < 0 {
		return false, fmt.Errorf("expected a number of milliseconds, found %q", args[0])
	}
	s.dbOpts.Timeout = time.Duration(ms) * time.Millisecond
	if ms == 0 {
		s.dbOpts.Timeout = -1 // db.Options: negative is "do not wait"
	}
	if s.db != nil {
		s.db.SetTimeout(s.dbOpts.Timeout)
	}
	return false, nil
}

func dotOutput(s *session, _ context.Context, args []string, _ source) (bool, error) {
	name := ""
	if len(args) == 1 {
		name = args[0]
	}
	return false, s.setOutput(name, false)
}

func dotOnce(s *session, _ context.Context, args []string, _ source) (bool, error) {
	return false, s.setOutput(args[0], true)
}

func dotShell(s *session, ctx context.Context, args []string, _ source) (bool, error) {
	s.flush()
	cmd := shellCommand(strings.Join(args, " "))
	cmd.Stdout, cmd.Stderr = s.childOutput()
	err := cmd.Run()
	var exit interface{ ExitCode() int }
	if errors.As(err, &exit) {
		return false, fmt.Errorf("the command exited with status %d", exit.ExitCode())
	}
	return false, err
}

func dotBackup(s *session, ctx context.Context, args []string, _ source) (bool, error) {
	_, err := s.db.Backup(ctx, args[0])
	return false, err
}

func dotRead(s *session, ctx context.Context, args []string, _ source) (bool, error) {
	if s.depth >= maxReadDepth {
		return false, fmt.Errorf("scripts nested more than %d deep", maxReadDepth)
	}
	s.flush()
	s.depth++
	defer func() { s.depth-- }()
	return s.runFile(ctx, args[0])
}

func dotOpen(s *session, _ context.Context, args []string, _ source) (bool, error) {
	opts, path, fresh := s.dbOpts, "", false
	for _, a := range args {
		switch {
		case a == "--readonly":
			opts.ReadOnly = true
		case a == "--new":
			fresh = true
		case strings.HasPrefix(a, "-"):
			return false, fmt.Errorf("unknown option %s (--readonly or --new)", a)
		case path != "":
			return false, errors.New("usage: .open [--readonly] [--new] [FILE]")
		default:
			path = a
		}
	}
	if opts.ReadOnly && path == "" {
		return false, errors.New("--readonly needs a FILE")
	}
	if fresh && path != "" {
		if err := s.removeDatabase(path); err != nil {
			return false, err
		}
	}
	return false, s.open(path, opts)
}

// removeDatabase deletes the database at path for .open --new, closing it
// first if it is the one open. A file that is not a database (a typo for
// the one meant) is left alone.
func (s *session) removeDatabase(path string) error {
	if s.db != nil && samePath(path, s.db.Path()) {
		if err := s.closeDB(); err != nil {
			return err
		}
	} else if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		d, err := db.Open(path, &db.Options{ReadOnly: true, Timeout: -1})
		if err != nil {
			return fmt.Errorf("--new deletes only a database, and this one cannot be opened: %w", err)
		}
		d.Close()
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func dotShow(s *session, _ context.Context, _ []string, _ source) (bool, error) {
	onoff := map[bool]string{true: "on", false: "off"}
	header := s.mode.boxed()
	if s.headerSet {
		header = s.header
	}
	null := s.null
	if !s.nullSet {
		null = "NULL in the column modes, empty in the others"
	} else {
		null = strconv.Quote(null)
	}
	output := "stdout"
	if s.redir != nil {
		output = s.redir.name
	}
	widths := make([]string, len(s.widths))
	for i, w := range s.widths {
		widths[i] = strconv.Itoa(w)
	}
	file, timeout := "", "2000"
	if s.db != nil {
		file = s.db.Path()
	}
	if t := s.dbOpts.Timeout; t < 0 {
		timeout = "0"
	} else if t > 0 {
		timeout = strconv.FormatInt(t.Milliseconds(), 10)
	}
	for _, kv := range [][2]string{
		{"bail", onoff[s.bail]}, {"changes", onoff[s.changes]}, {"echo", onoff[s.echo]},
		{"headers", onoff[header]}, {"mode", s.mode.String()}, {"nullvalue", null},
		{"output", output}, {"colseparator", strconv.Quote(s.sep)}, {"timer", onoff[s.timer]},
		{"timeout", timeout}, {"vectors", vectorsSetting(s.vectors)},
		{"width", strings.Join(widths, " ")}, {"filename", file},
	} {
		fmt.Fprintf(s.out, "%12s: %s\n", kv[0], kv[1])
	}
	return false, nil
}

// parseOnOff reads a dot-command's on|off argument.
func parseOnOff(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "yes", "true", "1":
		return true, nil
	case "off", "no", "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("expected on or off, found %q", s)
}

// splitArgs splits a dot-command line into words. A word may be quoted
// with ' or " to hold spaces; a quote is doubled inside its own quotes.
func splitArgs(line string) ([]string, error) {
	var args []string
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(line) {
					return nil, fmt.Errorf("unterminated quote at column %d", i+1)
				}
				if line[j] == c {
					if j+1 < len(line) && line[j+1] == c {
						b.WriteByte(c)
						j += 2
						continue
					}
					break
				}
				b.WriteByte(line[j])
				j++
			}
			args = append(args, b.String())
			i = j + 1
		default:
			j := i
			for j < len(line) && line[j] != ' ' && line[j] != '\t' {
				j++
			}
			args = append(args, line[i:j])
			i = j
		}
	}
	return args, nil
}

// schemaOf renders a table as the statements that would make it again:
// TRAIN with its recorded parameters, IMPORT with its file, or CREATE
// TABLE; then CREATE INDEX if it has one.
func schemaOf(in *db.TableInfo) string {
	var b strings.Builder
	name := query.QuoteIdent(in.Name)
	fmt.Fprintf(&b, "-- %s: %s, %d rows, dim %d, %s, %s\n", name, in.Kind, in.Rows, in.Dim, in.Elem, in.Metric)
	prov := in.Provenance
	switch {
	case in.Kind == "trained" && prov["source"] == "train":
		var files []string
		if fs, ok := prov["files"].([]any); ok {
			for _, f := range fs {
				files = append(files, query.QuoteString(fmt.Sprint(f)))
			}
		}
		skip := map[string]bool{"source": true, "files": true, "corpus_words": true, "sentences": true,
			"words_per_sec": true, "updates": true}
		fmt.Fprintf(&b, "TRAIN %s FROM %s%s;\n", name, strings.Join(files, ", "), withList(prov, skip, nil))
	case in.Kind == "imported" && prov["source"] == "import":
		extra := map[string]any{}
		if in.Elem.String() != "float32" {
			extra["type"] = in.Elem.String()
		}
		if in.Metric != "cosine" {
			extra["metric"] = in.Metric
		}
		skip := map[string]bool{"source": true, "file": true}
		fmt.Fprintf(&b, "IMPORT %s FROM %s%s;\n", name, query.QuoteString(fmt.Sprint(prov["file"])), withList(prov, skip, extra))
	default:
		fmt.Fprintf(&b, "CREATE TABLE %s (dim = %d, type = %s, metric = %s);\n", name, in.Dim, in.Elem, in.Metric)
	}
	if ix := in.Index; ix != nil {
		fmt.Fprintf(&b, "CREATE INDEX ON %s USING %s%s;\n", name, ix.Method, withList(ix.Params, measuredIndexParams, nil))
	}
	return b.String()
}

// withList renders " WITH (k = v, ...)" from opts and extra, sorted by
// name and leaving out the names in skip; "" when there are none.
func withList(opts map[string]any, skip map[string]bool, extra map[string]any) string {
	all := map[string]any{}
	for k, v := range opts {
		if !skip[k] {
			all[k] = v
		}
	}
	for k, v := range extra {
		all[k] = v
	}
	if len(all) == 0 {
		return ""
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " = " + literal(all[k])
	}
	return " WITH (" + strings.Join(parts, ", ") + ")"
}

// literal writes a recorded value as the language writes it.
func literal(v any) string {
	switch x := v.(type) {
	case string:
		return query.QuoteString(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return formatFloat(x, 64)
	case nil:
		return "NULL"
	}
	return query.QuoteString(fmt.Sprint(v))
}
