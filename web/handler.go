package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

//go:embed static
var static embed.FS

// Limits on what a request may ask.
const (
	// MaxK is the largest number of neighbours a query may ask for.
	MaxK = 200
	// MaxQueryBytes is the longest word or text a query may carry.
	MaxQueryBytes = 1000
	// maxURLBytes bounds the whole request target.
	maxURLBytes = 4096
	// queryTimeout bounds one query's run.
	queryTimeout = 10 * time.Second
)

// Options are the settings of [Handler].
type Options struct {
	// Port is the port the server listens on, for the Host and Origin
	// checks: requests must name 127.0.0.1:Port or localhost:Port. It must
	// be set.
	Port int
}

// Handler returns the page and its API for d:
//
//	GET /                       the page
//	GET /static/...             its script and style
//	GET /api/tables             [{"name", "rows", "dim", "metric", "tokenizer"}]
//	GET /api/neighbors?table=T&q=WORD-OR-TEXT&k=30&method=pca|tsne|umap
//	                            {"table", "query", "center", "neighbors": [{"word",
//	                            "similarity", "x", "y"}], "ms"}
//
// Errors are JSON {"error": "..."} with status 400 (bad request), 403
// (host or origin refused), 404 (unknown table or word) or 405.
func Handler(d *db.DB, opts Options) http.Handler {
	mux := http.NewServeMux()
	sub, _ := fs.Sub(static, "static") // static is embedded: the directory exists
	files := http.FileServerFS(sub)
	mux.Handle("GET /static/", http.StripPrefix("/static/", files))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, sub, "index.html")
	})
	a := &api{d: d}
	mux.HandleFunc("GET /api/tables", a.tables)
	mux.HandleFunc("GET /api/neighbors", a.neighbors)
	return guard(opts.Port, mux)
}

// guard refuses requests that did not come from the page as served on the
// loopback address: another Host (DNS rebinding), another Origin (a page
// elsewhere), a method that is not GET or HEAD, or a long target.
func guard(port int, next http.Handler) http.Handler {
	p := strconv.Itoa(port)
	hosts := map[string]bool{"127.0.0.1:" + p: true, "localhost:" + p: true}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if !hosts[strings.ToLower(r.Host)] {
			writeError(w, http.StatusForbidden, "host %q refused: open http://127.0.0.1:%d/", r.Host, port)
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !hosts[strings.TrimPrefix(strings.ToLower(o), "http://")] {
			writeError(w, http.StatusForbidden, "origin %q refused", o)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "method %s not allowed", r.Method)
			return
		}
		if len(r.RequestURI) > maxURLBytes {
			writeError(w, http.StatusRequestURITooLong, "request longer than %d bytes", maxURLBytes)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v) // a failed write is the client gone
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": fmt.Sprintf(format, args...)})
}

// Table is one entry of /api/tables.
type Table struct {
	Name      string `json:"name"`
	Rows      int64  `json:"rows"`
	Dim       int    `json:"dim"`
	Metric    string `json:"metric"`
	Tokenizer bool   `json:"tokenizer"`
}

// Neighbor is one neighbour of a query, with its place on the map.
type Neighbor struct {
	Word       string  `json:"word"`
	Similarity float32 `json:"similarity"`
	X          float64 `json:"x"`
	Y          float64 `json:"y"`
}

// Answer is the reply of /api/neighbors. Center is the query word's place
// (nil when the query is a text, not a word of the table).
type Answer struct {
	Table     string     `json:"table"`
	Query     string     `json:"query"`
	Center    *Neighbor  `json:"center"`
	Neighbors []Neighbor `json:"neighbors"`
	Millis    float64    `json:"ms"`
}

type api struct{ d *db.DB }

func (a *api) tables(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), queryTimeout)
	defer cancel()
	infos, err := a.d.Tables(ctx)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	out := make([]Table, 0, len(infos))
	for _, t := range infos {
		out = append(out, Table{Name: t.Name, Rows: t.Rows, Dim: t.Dim, Metric: t.Metric, Tokenizer: t.Tokenizer})
	}
	writeJSON(w, out)
}

// neighbors answers one query: NEAREST for the word (or the sum of the
// text's words or tokens), and the map of the query and its neighbours.
func (a *api) neighbors(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	q := r.URL.Query()
	table, text := q.Get("table"), strings.TrimSpace(q.Get("q"))
	k, err := strconv.Atoi(q.Get("k"))
	if q.Get("k") == "" {
		k, err = 30, nil
	}
	method := q.Get("method")
	switch {
	case table == "":
		writeError(w, http.StatusBadRequest, "table is missing")
		return
	case text == "":
		writeError(w, http.StatusBadRequest, "q (a word or a text) is missing")
		return
	case len(text) > MaxQueryBytes:
		writeError(w, http.StatusBadRequest, "q is longer than %d bytes", MaxQueryBytes)
		return
	case err != nil || k < 1 || k > MaxK:
		writeError(w, http.StatusBadRequest, "k must be an integer from 1 to %d", MaxK)
		return
	case method != "" && method != "pca" && method != "tsne" && method != "umap":
		writeError(w, http.StatusBadRequest, "method must be pca, tsne or umap")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), queryTimeout)
	defer cancel()
	ans, err := a.answer(ctx, table, text, k, method)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, db.ErrNoTable) || errors.Is(err, db.ErrNoWord) {
			status = http.StatusNotFound
		}
		writeError(w, status, "%s", errorText(err))
		return
	}
	ans.Millis = float64(time.Since(start).Microseconds()) / 1000
	w.Header().Set("Server-Timing", fmt.Sprintf("query;dur=%.3f", ans.Millis))
	writeJSON(w, ans)
}

// errorText is an error's message without a position: the statement is the
// server's, not the user's.
func errorText(err error) string {
	var qe *query.Error
	if errors.As(err, &qe) {
		return qe.Msg
	}
	return err.Error()
}

// Listen opens a listener on 127.0.0.1 at port (0 chooses a free one).
func Listen(port int) (net.Listener, error) {
	return net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
}
