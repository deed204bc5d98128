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
	recall    float64 // SET recall; 0: off
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

func (s *settings) recallTarget() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recall
}

// settingNames lists what SET accepts.
var settingNames = []string{"ef_search", "exact", "recall"}

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
		st.recall = 0 // the last of SET ef_search and SET recall applies
		st.mu.Unlock()
	case "recall":
		r, err := recallValue(v)
		if err != nil {
			return nil, plan.ErrAt(s.Value, nil, "%v", err)
		}
		st.mu.Lock()
		st.recall = r
		st.ef = 0
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

// recallValue checks SET recall's value: a fraction above 0 and at most 1,
// or 0 / off to go back to ef_search.
func recallValue(v any) (float64, error) {
	if b, err := parseBool(v); err == nil && !b {
		return 0, nil
	}
	var r float64
	switch x := v.(type) {
	case float64:
		r = x
	case int64:
		r = float64(x)
	default:
		return 0, fmt.Errorf("recall must be a number above 0 and at most 1 (such as 0.95), or off, found %s", shown(v))
	}
	if !(r >= 0 && r <= 1) {
		return 0, fmt.Errorf("recall must be a number above 0 and at most 1 (such as 0.95), or off, found %s", shown(v))
	}
	return r, nil
}
