package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/web"
)

const port = 8123

// testServer serves a database with tables pets (5 words) and "odd ""name""".
func testServer(t *testing.T) *httptest.Server {
	t.Helper()
	d, err := db.Open(filepath.Join(t.TempDir(), "w.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	_, err = d.Exec(context.Background(), `CREATE TABLE pets (dim = 3);
		INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]), ('emu', [0.9, -0.1, 0.05]),
		  ('owl', [0.5, 0.5, 0.1]), ('ant', [-0.3, 0.8, 0.2]), ('big cat', [0.1, 0.2, 0.35]);
		CREATE TABLE "odd ""name""" (dim = 2); INSERT INTO "odd ""name""" VALUES ('x', [1, 0]), ('y', [0, 1]);`)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.Handler(d, web.Options{Port: port}))
	t.Cleanup(srv.Close)
	return srv
}

// get requests path from srv as the page at 127.0.0.1:port would, with
// extra headers.
func get(t *testing.T, srv *httptest.Server, method, path string, hdr map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = fmt.Sprintf("127.0.0.1:%d", port)
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestHandler_Page(t *testing.T) {
	srv := testServer(t)
	code, body := get(t, srv, "GET", "/", nil)
	if code != 200 || !strings.Contains(body, `<script src="/static/app.js"`) {
		t.Fatalf("GET / = %d %.200s", code, body)
	}
	for _, p := range []string{"/static/app.js", "/static/style.css"} {
		if code, body := get(t, srv, "GET", p, nil); code != 200 || len(body) < 500 {
			t.Errorf("GET %s = %d, %d bytes", p, code, len(body))
		}
	}
	// Nothing in the page is fetched from elsewhere.
	for _, p := range []string{"/", "/static/app.js", "/static/style.css"} {
		_, body := get(t, srv, "GET", p, nil)
		if strings.Contains(body, "https://") || strings.Contains(body, "//cdn") {
			t.Errorf("%s refers to another site", p)
		}
	}
}

func TestHandler_Tables(t *testing.T) {
	srv := testServer(t)
	code, body := get(t, srv, "GET", "/api/tables", nil)
	var got []web.Table
	if code != 200 || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("GET /api/tables = %d %s", code, body)
	}
	if len(got) != 2 || got[1].Name != "pets" || got[1].Rows != 6 || got[1].Dim != 3 || got[1].Metric != "cosine" {
		t.Errorf("tables = %+v", got)
	}
}

func neighbors(t *testing.T, srv *httptest.Server, table, q string, k int) (int, web.Answer, string) {
	t.Helper()
	v := url.Values{"table": {table}, "q": {q}, "k": {fmt.Sprint(k)}}
	code, body := get(t, srv, "GET", "/api/neighbors?"+v.Encode(), nil)
	var a web.Answer
	json.Unmarshal([]byte(body), &a)
	return code, a, body
}

func TestHandler_Neighbors(t *testing.T) {
	srv := testServer(t)
	t.Run("Word", func(t *testing.T) {
		code, a, body := neighbors(t, srv, "pets", "cat", 3)
		if code != 200 {
			t.Fatalf("status %d: %s", code, body)
		}
		if a.Center == nil || a.Center.Word != "cat" || len(a.Neighbors) != 3 {
			t.Fatalf("answer = %s", body)
		}
		// The nearest by cosine: big cat, dog, then owl.
		want := []string{"big cat", "dog", "owl"}
		for i, n := range a.Neighbors {
			if n.Word != want[i] || math.IsNaN(n.X) || math.IsNaN(n.Y) || !(n.Similarity > 0.5) {
				t.Errorf("neighbour %d = %+v, want %s", i, n, want[i])
			}
		}
		// On the map the nearest neighbour is nearer the centre than the
		// farthest is.
		d := func(n web.Neighbor) float64 { return math.Hypot(n.X-a.Center.X, n.Y-a.Center.Y) }
		if !(d(a.Neighbors[0]) < d(a.Neighbors[2])) {
			t.Errorf("map distances %g, %g do not follow similarity", d(a.Neighbors[0]), d(a.Neighbors[2]))
		}
	})
	t.Run("WordWithSpace", func(t *testing.T) {
		if code, a, body := neighbors(t, srv, "pets", "big cat", 2); code != 200 || a.Center == nil || a.Center.Word != "big cat" {
			t.Errorf("big cat: %d %s", code, body)
		}
	})
	t.Run("Text", func(t *testing.T) {
		code, a, body := neighbors(t, srv, "pets", "emu   ant nosuch", 2)
		if code != 200 || a.Center != nil || len(a.Neighbors) != 2 {
			t.Fatalf("text: %d %s", code, body)
		}
		for _, n := range a.Neighbors {
			if n.Word == "emu" || n.Word == "ant" {
				t.Errorf("the text's own words came back: %s", body)
			}
		}
	})
	t.Run("QuotedTableName", func(t *testing.T) {
		if code, a, body := neighbors(t, srv, `odd "name"`, "x", 1); code != 200 || len(a.Neighbors) != 1 || a.Neighbors[0].Word != "y" {
			t.Errorf("odd name: %d %s", code, body)
		}
	})
}

func TestHandler_Refuses(t *testing.T) {
	srv := testServer(t)
	long := strings.Repeat("a", web.MaxQueryBytes+1)
	tests := []struct {
		name, method, path string
		hdr                map[string]string
		code               int
		want               string
	}{
		{"UnknownWord", "GET", "/api/neighbors?table=pets&q=zebra", nil, 404, "no word of"},
		{"UnknownTable", "GET", "/api/neighbors?table=nope&q=cat", nil, 404, "no such table"},
		{"Injection", "GET", "/api/neighbors?" + url.Values{"table": {`pets; DROP TABLE pets; --`}, "q": {"cat"}}.Encode(), nil, 404, "no such table"},
		{"NoTable", "GET", "/api/neighbors?q=cat", nil, 400, "table is missing"},
		{"NoQuery", "GET", "/api/neighbors?table=pets", nil, 400, "q (a word or a text) is missing"},
		{"BigK", "GET", "/api/neighbors?table=pets&q=cat&k=201", nil, 400, "k must be an integer from 1 to 200"},
		{"BadK", "GET", "/api/neighbors?table=pets&q=cat&k=x", nil, 400, "k must be"},
		{"LongQuery", "GET", "/api/neighbors?table=pets&q=" + long, nil, 400, "longer than 1000 bytes"},
		{"LongURL", "GET", "/api/tables?x=" + strings.Repeat("b", 5000), nil, 414, "request longer"},
		{"Method", "POST", "/api/tables", nil, 405, "method POST not allowed"},
		{"Method", "DELETE", "/", nil, 405, "not allowed"},
		{"RebindHost", "GET", "/api/tables", map[string]string{"Host": "evil.example:8123"}, 403, "refused"},
		{"OtherPort", "GET", "/api/tables", map[string]string{"Host": "127.0.0.1:9999"}, 403, "refused"},
		{"Origin", "GET", "/api/tables", map[string]string{"Origin": "http://evil.example"}, 403, "origin"},
		{"BadMethodName", "GET", "/api/neighbors?table=pets&q=cat&method=mds", nil, 400, "method must be"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := get(t, srv, tc.method, tc.path, tc.hdr)
			if code != tc.code || !strings.Contains(body, tc.want) {
				t.Errorf("%s %.60s = %d %s, want %d with %q", tc.method, tc.path, code, body, tc.code, tc.want)
			}
		})
	}
	// The table is still there after the injection attempt, and an Origin
	// of the page itself is accepted, as is localhost.
	if code, _, body := neighbors(t, srv, "pets", "cat", 1); code != 200 {
		t.Errorf("after the refusals: %d %s", code, body)
	}
	if code, body := get(t, srv, "GET", "/api/tables", map[string]string{"Origin": fmt.Sprintf("http://127.0.0.1:%d", port), "Host": fmt.Sprintf("localhost:%d", port)}); code != 200 {
		t.Errorf("same origin refused: %d %s", code, body)
	}
}
