package exec

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/embeddb/embeddb/query"
)

// describeArg describes a value of the wrong type or range after "must be
// ..., found": a number or a boolean by its value (LIMIT -1 is wrong for
// its sign, which "an integer" would not say), anything else by its type,
// as describeValue does.
func describeArg(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case bool:
		return strings.ToUpper(strconv.FormatBool(x))
	}
	return describeValue(v)
}

// shown writes an option's value as a message shows it after "found":
// as fmt.Sprint does, but a string cut by [query.Shorten] and a long
// vector summed up by its length.
func shown(v any) string {
	switch x := v.(type) {
	case string:
		// As the statement wrote it: NEAREST('python', '3') found '3'.
		return "'" + strings.ReplaceAll(query.Shorten(x), "'", "''") + "'"
	case []float32:
		if len(x) > 8 {
			return fmt.Sprintf("a vector of length %d", len(x))
		}
	}
	return fmt.Sprint(v)
}
