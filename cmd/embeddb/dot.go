package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// dotCommands are the shell's own commands, with their help, in the order
// .help lists them.
var dotCommands = []struct{ name, args, help string }{
	{".bail", "on|off", "stop a script at its first error (on by default in scripts)"},
	{".exit", "", "leave the shell (as .quit)"},
	{".header", "on|off", "print column names (on by default in table mode)"},
	{".help", "", "show this message"},
	{".mode", "[MODE]", "set (or show) the output mode: table, csv, tsv or json"},
	{".quit", "", "leave the shell"},
	{".read", "FILE", "run the statements and commands of FILE"},
	{".schema", "[TABLE]", "show the statements that made the tables"},
	{".tables", "", "list the tables"},
	{".timer", "on|off", "print how long each statement takes"},
}

// helpText is what .help prints.
func helpText() string {
	var b strings.Builder
	for _, c := range dotCommands {
		fmt.Fprintf(&b, "%-22s %s\n", c.name+" "+c.args, c.help)
	}
	b.WriteString(`
Anything else is SQL, run when a line ends with ';' (a statement may span
lines). For example:

  TRAIN w2v FROM 'train-data.txt' WITH (vector_size = 100, min_count = 1);
  SELECT NEAREST('python', 5) FROM w2v;
  SHOW TABLES;  DESCRIBE w2v;

Ctrl-C stops the running statement or clears the input; Ctrl-D leaves.
`)
	return b.String()
}

// dotCommand runs one dot-command line, reported at line of src, and says
// whether to stop.
func (s *session) dotCommand(ctx context.Context, line string, src source, lineNo int) (stop bool) {
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
	if err != nil {
		s.failed = true
		fmt.Fprintf(s.errw, "%s%s: %s\n", locPrefix(src.name, lineNo, 0), screenText(name), screenText(err.Error()))
		return s.bail
	}
	return stop
}

func (s *session) dot(ctx context.Context, name string, args []string, src source) (stop bool, err error) {
	nargs := func(lo, hi int) error {
		if len(args) >= lo && len(args) <= hi {
			return nil
		}
		for _, c := range dotCommands {
			if c.name == name || c.name+"s" == name {
				return fmt.Errorf("usage: %s %s", c.name, c.args)
			}
		}
		return fmt.Errorf("takes %d to %d arguments, found %d", lo, hi, len(args))
	}
	switch name {
	case ".help":
		if err := nargs(0, 0); err != nil {
			return false, err
		}
		s.out.WriteString(helpText())
	case ".quit", ".exit":
		if err := nargs(0, 0); err != nil {
			return false, err
		}
		s.quit = true
		return true, nil
	case ".tables":
		if err := nargs(0, 0); err != nil {
			return false, err
		}
		infos, err := s.db.Tables(ctx)
		if err != nil {
			return false, err
		}
		for _, in := range infos {
			fmt.Fprintln(s.out, query.QuoteIdent(in.Name))
		}
	case ".schema":
		if err := nargs(0, 1); err != nil {
			return false, err
		}
		var infos []*db.TableInfo
		if len(args) == 1 {
			in, err := s.db.Table(ctx, args[0])
			if err != nil {
				return false, err
			}
			infos = []*db.TableInfo{in}
		} else if infos, err = s.db.Tables(ctx); err != nil {
			return false, err
		}
		for _, in := range infos {
			s.out.WriteString(schemaOf(in))
		}
	case ".mode":
		if err := nargs(0, 1); err != nil {
			return false, err
		}
		if len(args) == 0 {
			fmt.Fprintf(s.out, "%s\n", s.mode)
			return false, nil
		}
		m, err := parseMode(args[0])
		if err != nil {
			return false, err
		}
		s.mode = m
	case ".header", ".headers":
		if err := nargs(1, 1); err != nil {
			return false, err
		}
		on, err := parseOnOff(args[0])
		if err != nil {
			return false, err
		}
		s.header, s.headerSet = on, true
	case ".timer":
		if err := nargs(1, 1); err != nil {
			return false, err
		}
		if s.timer, err = parseOnOff(args[0]); err != nil {
			return false, err
		}
	case ".bail":
		if err := nargs(1, 1); err != nil {
			return false, err
		}
		if s.bail, err = parseOnOff(args[0]); err != nil {
			return false, err
		}
	case ".read":
		if err := nargs(1, 1); err != nil {
			return false, err
		}
		if s.depth >= maxReadDepth {
			return false, fmt.Errorf("scripts nested more than %d deep", maxReadDepth)
		}
		s.flush()
		s.depth++
		defer func() { s.depth-- }()
		return s.runFile(ctx, args[0])
	default:
		return false, fmt.Errorf("unknown command (enter \".help\" for the list)")
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
		fmt.Fprintf(&b, "CREATE INDEX ON %s USING %s%s;\n", name, ix.Method, withList(ix.Params, nil, nil))
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
