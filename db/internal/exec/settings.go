package exec

import (
	"fmt"
	"strings"
	"sync"

	"github.com/embeddb/embeddb/db/internal/plan"

	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
)

// settings are the values SET changes. They belong to the DB handle and
// apply to every statement run through it from then on.
type settings struct {
	mu        sync.Mutex
	ef        int
	exactScan bool
}

func (s *settings) init() {}

func (s *settings) efSearch() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ef
}

func (s *settings) exact() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exactScan
}

// settingNames lists what SET accepts.
var settingNames = []string{"ef_search", "exact"}

func init() { handle((*env).set) }

// set runs SET name = value.
func (e *env) set(s *query.Set) (*Rows, error) {
	v, err := e.evalSetting(s.Value)
	if err != nil {
		return nil, err
	}
	st := &e.d.settings
	switch s.Name {
	case "ef_search":
		n, ok := toInt(v)
		if !ok || n < 0 || n > index.MaxEfSearch {
			return nil, plan.ErrAt(s.Value, nil, "ef_search must be an integer from %d to %d (0: the index's default), found %s",
				index.MinEfSearch, index.MaxEfSearch, shown(v))
		}
		st.mu.Lock()
		st.ef = int(n)
		st.mu.Unlock()
	case "exact":
		b, err := parseBool(v)
		if err != nil {
			return nil, plan.ErrAt(s.Value, nil, "exact must be on or off, found %s", shown(v))
		}
		st.mu.Lock()
		st.exactScan = b
		st.mu.Unlock()
	default:
		msg := fmt.Sprintf("unknown setting %s (settings are %s)", store.Quote(s.Name), strings.Join(settingNames, ", "))
		return nil, plan.ErrAt(s, nil, "%s", msg)
	}
	return message("set", s.Name), nil
}

func (e *env) evalSetting(x query.Expr) (any, error) {
	if id, ok := x.(*query.Ident); ok {
		return id.Name, nil
	}
	return e.evalConst(x)
}

// parseBool accepts on/off, true/false, yes/no, 1/0 in any case.
func parseBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case string:
		switch strings.ToLower(x) {
		case "on", "true", "yes", "1":
			return true, nil
		case "off", "false", "no", "0":
			return false, nil
		}
	}
	return false, fmt.Errorf("not a boolean: %v", v)
}
