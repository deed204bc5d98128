package db_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
)

// peerRounds is how many timed rounds of each filter's queries each side
// runs, taking turns; the best round of each side is compared. On a shared
// machine a round can lose the CPU to others for most of its time: the
// best of several, taken in turns, is what each side does when it gets it.
const peerRounds = 5

// filteredPeer is LanceDB running scripts/filtered_peers.mjs beside the
// benchmark, one request and one JSON answer a line.
type filteredPeer struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Scanner
	Ready map[string]any
}

// startPeer starts node on script with the data in dir and LanceDB's
// table in lanceDir, and waits for it to be ready (it may build its index).
func startPeer(b *testing.B, script, dir, lanceDir string) *filteredPeer {
	cmd := exec.Command("node", script, dir, lanceDir)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatalf("start %s: %v", script, err)
	}
	p := &filteredPeer{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	p.Ready = p.read(b)
	return p
}

func (p *filteredPeer) read(b *testing.B) map[string]any {
	if !p.out.Scan() {
		b.Fatalf("LanceDB peer ended: %v", p.out.Err())
	}
	var m map[string]any
	if err := json.Unmarshal(p.out.Bytes(), &m); err != nil {
		b.Fatalf("LanceDB peer said %q: %v", p.out.Text(), err)
	}
	if e, ok := m["error"]; ok {
		b.Fatalf("LanceDB peer: %v", e)
	}
	return m
}

// ask sends one request and returns the answer's number field by name.
func (p *filteredPeer) ask(b *testing.B, cmd, name string) map[string]float64 {
	if _, err := fmt.Fprintf(p.in, "%s %s\n", cmd, name); err != nil {
		b.Fatal(err)
	}
	out := map[string]float64{}
	for k, v := range p.read(b) {
		if f, ok := v.(float64); ok {
			out[k] = f
		}
	}
	return out
}

func (p *filteredPeer) close() {
	fmt.Fprintln(p.in, "quit")
	p.in.Close()
	p.cmd.Wait()
}

// peerResult is LanceDB's figures for one filter.
type peerResult struct {
	Recall    float64 `json:"recall_at_10"`
	RowsShort int     `json:"rows_short"`
	QPS       float64 `json:"queries_per_s"`
	CPUQPS    float64 `json:"queries_per_cpu_s"`
}

// compareWithPeer measures filter c on both sides: LanceDB's recall and
// rows short, then peerRounds timed rounds of the nq queries each, taking
// turns (who goes first alternates), keeping each side's best by wall time
// and by CPU time. It sets r.RoundQPS and r.RoundCPUQPS (embeddb's) and
// r.Peer.
func compareWithPeer(b *testing.B, p *filteredPeer, d *db.DB, c filteredCase, qs []float32, dim int, r *filteredResult) {
	got := p.ask(b, "case", c.Name)
	r.Peer = &peerResult{Recall: got["recall_at_10"], RowsShort: int(got["rows_short"])}
	nq := len(qs) / dim
	ours := func() {
		t0, cpu0 := time.Now(), processCPU()
		for i := range nq {
			nearestIDs(b, d, c.Where, qs[i*dim:(i+1)*dim])
		}
		r.RoundQPS = max(r.RoundQPS, float64(nq)/time.Since(t0).Seconds())
		r.RoundCPUQPS = max(r.RoundCPUQPS, float64(nq)/(processCPU()-cpu0).Seconds())
	}
	theirs := func() {
		t := p.ask(b, "time", c.Name)
		r.Peer.QPS = max(r.Peer.QPS, t["queries_per_s"])
		r.Peer.CPUQPS = max(r.Peer.CPUQPS, t["queries_per_cpu_s"])
	}
	for round := range peerRounds {
		if round%2 == 0 {
			ours()
			theirs()
		} else {
			theirs()
			ours()
		}
	}
}
