package db

import "sync"

// settings are the values SET changes. They belong to the DB handle and
// apply to every statement run through it.
type settings struct {
	mu   sync.Mutex
	vals map[string]any
}

func (s *settings) init() { s.vals = make(map[string]any) }
