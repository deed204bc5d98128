package exec

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/query"
)

// JSON values: a JSON column holds its value as compact JSON text; ->
// gives a field as JSON text, ->> as a value (text, number, boolean),
// and json_extract(doc, '$.a.b') as sqlite's does.

// jsonField evaluates doc -> key or doc ->> key: key is a field name or an
// array index. A missing field, or a doc that is not an object or array,
// gives NULL, as in PostgreSQL.
func jsonField(x *query.Binary, doc, key any, asText bool) (any, error) {
	if doc == nil || key == nil {
		return nil, nil
	}
	text, ok := doc.(string)
	if !ok {
		return nil, plan.ErrAt(x, nil, "%s needs JSON on its left, found %s", x.Op, describeValue(doc))
	}
	var v any
	if err := decodeJSON(text, &v); err != nil {
		return nil, plan.ErrAt(x.L, nil, "%s: the value is not valid JSON: %v", x.Op, err)
	}
	switch k := key.(type) {
	case string:
		v = jsonStep(v, k)
	case int64:
		v = jsonIndex(v, k)
	default:
		return nil, plan.ErrAt(x.R, nil, "%s takes a field name or an array index, found %s", x.Op, describeValue(key))
	}
	if v == nil {
		return nil, nil
	}
	if asText {
		return jsonScalar(v), nil
	}
	return jsonText(v), nil
}

func decodeJSON(text string, v *any) error {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	return d.Decode(v)
}

func jsonStep(v any, key string) any {
	if m, ok := v.(map[string]any); ok {
		return m[key]
	}
	return nil
}

func jsonIndex(v any, i int64) any {
	a, ok := v.([]any)
	if !ok || i < 0 || i >= int64(len(a)) {
		return nil
	}
	return a[i]
}

// jsonScalar turns a decoded JSON value into a SQL value: numbers as
// integers or reals, strings and booleans as they are, objects and
// arrays as JSON text.
func jsonScalar(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case string, bool:
		return x
	}
	return jsonText(v)
}

func jsonText(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSuffix(buf.String(), "\n")
}

// jsonExtract evaluates json_extract(doc, path): path is sqlite's '$',
// '$.a', '$.a.b', '$.list[0]'. Scalars come out as SQL values, objects
// and arrays as JSON text.
func (s *scope) jsonExtract(x *query.Call) (any, error) {
	if err := arity(x, 2, 2); err != nil {
		return nil, err
	}
	doc, err := s.eval(x.Args[0])
	if err != nil {
		return nil, err
	}
	p, err := s.eval(x.Args[1])
	if err != nil || doc == nil || p == nil {
		return nil, err
	}
	text, ok1 := doc.(string)
	path, ok2 := p.(string)
	if !ok1 || !ok2 {
		return nil, plan.ErrAt(x, nil, "JSON_EXTRACT takes JSON text and a path such as '$.a', found %s and %s", describeValue(doc), describeValue(p))
	}
	var v any
	if err := decodeJSON(text, &v); err != nil {
		return nil, plan.ErrAt(x.Args[0], nil, "JSON_EXTRACT: the value is not valid JSON: %v", err)
	}
	v, err = walkJSONPath(v, path)
	if err != nil {
		return nil, plan.ErrAt(x.Args[1], nil, "JSON_EXTRACT: %v", err)
	}
	if v == nil {
		return nil, nil
	}
	return jsonScalar(v), nil
}

// walkJSONPath follows a path of sqlite's form through v.
func walkJSONPath(v any, path string) (any, error) {
	if !strings.HasPrefix(path, "$") {
		return nil, errPath(path)
	}
	rest := path[1:]
	for rest != "" && v != nil {
		switch rest[0] {
		case '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			key := strings.Trim(rest[1:1+end], `"`)
			if key == "" {
				return nil, errPath(path)
			}
			v, rest = jsonStep(v, key), rest[1+end:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, errPath(path)
			}
			i, err := strconv.ParseInt(rest[1:end], 10, 64)
			if err != nil {
				return nil, errPath(path)
			}
			v, rest = jsonIndex(v, i), rest[end+1:]
		default:
			return nil, errPath(path)
		}
	}
	return v, nil
}

type pathError string

func (e pathError) Error() string {
	return "malformed JSON path " + string(e) + " (write '$.field', '$.a.b' or '$.list[0]')"
}

func errPath(p string) error { return pathError(strconv.Quote(p)) }
