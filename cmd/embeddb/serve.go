package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/web"
)

const serveUsage = `Usage: embeddb serve [-port N] DBFILE

Serves a page for exploring DBFILE's embeddings at http://127.0.0.1:PORT/:
type a word or a text, see its neighbours as a list and a map (drag to pan,
wheel to zoom, click a point to re-centre), switch tables. It listens on
127.0.0.1 only, opens DBFILE read-only and answers only the page's own
queries. Ctrl-C stops it.

Flags:
  -port N   the port to listen on (0, the default, chooses a free one)
`

// serve runs embeddb serve: the page of package web on the loopback
// address, until ctx ends or an interrupt.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("embeddb serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	port := fs.Int("port", 0, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, serveUsage)
			return 0
		}
		fmt.Fprintf(stderr, "embeddb serve: %v\n%s", err, serveUsage)
		return 1
	}
	if fs.NArg() != 1 || *port < 0 || *port > 65535 {
		fmt.Fprint(stderr, serveUsage)
		return 1
	}
	path := fs.Arg(0)
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(stderr, "embeddb serve: %v\n", err)
		return 1
	}
	d, err := db.Open(path, &db.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintf(stderr, "embeddb serve: %s\n", message(err))
		return 1
	}
	defer d.Close()
	ln, err := web.Listen(*port)
	if err != nil {
		fmt.Fprintf(stderr, "embeddb serve: %v\n", err)
		return 1
	}
	actual := ln.Addr().(*net.TCPAddr).Port
	srv := &http.Server{
		Handler:           web.Handler(d, web.Options{Port: actual}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "embeddb serve: %s (read-only) at http://127.0.0.1:%d/ ; Ctrl-C stops\n", path, actual)
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "embeddb serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "embeddb serve: %v\n", err)
		return 1
	}
	return 0
}
