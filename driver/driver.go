package driver

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/embeddb/embeddb/db"
)

// ErrTxUnsupported is returned by BeginTx: embeddb runs each statement
// atomically and has no transactions of several statements.
var ErrTxUnsupported = errors.New("embeddb/driver: transactions of several statements are not supported; each statement is atomic on its own")

// ErrNamedParams is returned for a named argument (sql.Named): embeddb's
// placeholders are positional ?.
var ErrNamedParams = errors.New("embeddb/driver: named parameters are not supported; use ? placeholders")

func init() {
	sql.Register("embeddb", &Driver{})
}

// Driver is the database/sql driver registered as "embeddb".
type Driver struct{}

var (
	_ sqldriver.Driver        = (*Driver)(nil)
	_ sqldriver.DriverContext = (*Driver)(nil)
)

// Open opens a connection to the database named by dsn, with a connector
// of its own, and closes the file when the connection is closed.
// database/sql calls OpenConnector instead, and shares one file among its
// connections.
func (d *Driver) Open(dsn string) (sqldriver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	cn, err := c.Connect(context.Background())
	if err != nil {
		return nil, err
	}
	// This connection alone uses the file: closing it closes the file.
	cn.(*conn).owner = c.(*Connector)
	return cn, nil
}

// OpenConnector parses dsn and returns a Connector that opens the file at
// the first connection.
func (d *Driver) OpenConnector(dsn string) (sqldriver.Connector, error) {
	path, opts, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	return &Connector{path: path, opts: opts, drv: d}, nil
}

// ParseDSN splits a data source name into the file path and the options
// [db.Open] takes. See the package documentation for the parameters.
func ParseDSN(dsn string) (string, *db.Options, error) {
	path, params, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == "" {
		return "", nil, fmt.Errorf("embeddb/driver: data source name %q names no file", dsn)
	}
	q, err := url.ParseQuery(params)
	if err != nil {
		return "", nil, fmt.Errorf("embeddb/driver: data source name %q: %w", dsn, err)
	}
	opts := &db.Options{}
	for k, vs := range q {
		v := vs[len(vs)-1]
		bad := func(want string) error {
			return fmt.Errorf("embeddb/driver: data source name %q: %s must be %s, found %q", dsn, k, want, v)
		}
		switch k {
		case "mode":
			switch v {
			case "ro":
				opts.ReadOnly = true
			case "rw", "rwc":
			default:
				return "", nil, bad("ro or rw")
			}
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil {
				ms, err2 := strconv.Atoi(v) // sqlite drivers take milliseconds
				if err2 != nil {
					return "", nil, bad("a duration such as 5s")
				}
				d = time.Duration(ms) * time.Millisecond
			}
			opts.Timeout = d
		case "nosync":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return "", nil, bad("true or false")
			}
			opts.NoSync = b
		case "memory_limit":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return "", nil, bad("a number of bytes")
			}
			opts.MemoryLimit = n
		default:
			return "", nil, fmt.Errorf("embeddb/driver: data source name %q: unknown parameter %q (want mode, timeout, nosync or memory_limit)", dsn, k)
		}
	}
	return path, opts, nil
}

// Connector opens one database file and hands out connections to it; it
// is what sql.OpenDB takes. Closing it (sql.DB.Close does) closes the file.
type Connector struct {
	path string
	opts *db.Options
	drv  *Driver

	mu     sync.Mutex
	d      *db.DB
	closed bool
}

var (
	_ sqldriver.Connector = (*Connector)(nil)
	_ io.Closer           = (*Connector)(nil)
)

// NewConnector returns a Connector for a database that is already open,
// for sql.OpenDB; Close then leaves d open.
func NewConnector(d *db.DB) *Connector {
	return &Connector{d: d, drv: &Driver{}, path: d.Path()}
}

// Connect returns a connection, opening the file on first use.
func (c *Connector) Connect(ctx context.Context) (sqldriver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, db.ErrClosed
	}
	if c.d == nil {
		d, err := db.Open(c.path, c.opts)
		if err != nil {
			return nil, err
		}
		c.d = d
	}
	return &conn{d: c.d}, nil
}

// Driver returns the driver.
func (c *Connector) Driver() sqldriver.Driver { return c.drv }

// Close closes the database file the Connector opened.
func (c *Connector) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.d != nil && c.opts != nil {
		return c.d.Close()
	}
	return nil
}
