package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServe starts embeddb serve on a free port, asks the API for the
// tables, and stops it by cancelling its context.
func TestServe(t *testing.T) {
	dbPath := petsDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var errb strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- Main{Stdout: pw, Stderr: &errb}.Run(ctx, []string{"serve", dbPath})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v (stderr %q)", err, errb.String())
	}
	go io.Copy(io.Discard, pr)
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(line)
	if url == "" || !strings.Contains(line, "read-only") {
		t.Fatalf("first line = %q, want the address and read-only", line)
	}
	res, err := http.Get(url + "api/tables")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), `"name":"pets"`) {
		t.Errorf("GET /api/tables = %d %s", res.StatusCode, b)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit status %d after cancel, stderr %q", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestServe_Errors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.db")
	if r := runMain(t, "", "serve", missing); r.code != 1 || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("serve of a missing file: %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("serve made the missing file")
	}
	if r := runMain(t, "", "serve"); r.code != 1 || !strings.Contains(r.stderr, "Usage: embeddb serve") {
		t.Errorf("serve without a file: %d %q", r.code, r.stderr)
	}
	if r := runMain(t, "", "serve", "-help"); r.code != 0 || !strings.Contains(r.stdout, "127.0.0.1 only") {
		t.Errorf("serve -help: %d %q", r.code, r.stdout)
	}
	if r := runMain(t, "", "serve", "-port", "70000", "x.db"); r.code != 1 {
		t.Errorf("serve -port 70000: exit %d", r.code)
	}
}
