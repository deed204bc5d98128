package db

import (
	"errors"
	"fmt"

	"github.com/embeddb/embeddb/query"
)

// ErrSemantic is wrapped by errors in a well-formed statement that cannot
// run as written: an unknown column or function, an argument of the wrong
// type, a missing option. Errors about missing tables or words wrap
// ErrNoTable and ErrNoWord instead.
var ErrSemantic = errors.New("db: invalid statement")

// errAt returns a positioned error at node n: the shell points at the spot.
func errAt(n query.Node, cause error, format string, args ...any) error {
	var pos query.Position
	if n != nil {
		pos = n.Position()
	}
	if cause == nil {
		cause = ErrSemantic
	}
	return &query.Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Err: cause}
}

// at attaches node n's position to err unless it has one already.
func at(n query.Node, err error) error {
	if err == nil {
		return nil
	}
	var qe *query.Error
	if errors.As(err, &qe) {
		return err
	}
	var pos query.Position
	if n != nil {
		pos = n.Position()
	}
	return &query.Error{Pos: pos, Msg: err.Error(), Err: err}
}
