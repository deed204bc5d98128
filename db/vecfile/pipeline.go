package vecfile

import (
	"context"
	"sync"
	"sync/atomic"
)

// task is one batch on its way through the pipeline: the producer fills its
// input (and, for formats that need no parsing, its output) in file order,
// a worker processes it, and the consumer hands it to the caller in order.
type task struct {
	// Input, set by the producer.
	buf  []byte // text: whole lines; raw formats: scratch for conversion
	off  int64  // file offset of the batch's first byte
	end  int64  // file offset just past the batch's last byte
	line int    // text: 1-based line number of buf[0]

	// Output.
	words []string
	data  []byte
	ends  []int64 // text: file offset just past each row's line
	lines []int   // text: line number of each row
	offs  []int64 // binary: file offset of each row
	rows  int
	err   error // a *FormatError for row rows (rows before it are good)

	arena  []byte  // word bytes, turned into one string per batch
	wends  []int32 // end of each word in arena
	scr    []byte  // scratch for decoding a line
	ffirst int     // first row with a non-finite element, or -1
	nfin   int64   // non-finite elements

	done chan struct{}
}

func (t *task) reset() {
	t.buf = t.buf[:0]
	t.off, t.end, t.line = 0, 0, 0
	t.words = t.words[:0]
	t.data = t.data[:0]
	t.ends = t.ends[:0]
	t.lines = t.lines[:0]
	t.offs = t.offs[:0]
	t.rows = 0
	t.err = nil
	t.arena = t.arena[:0]
	t.wends = t.wends[:0]
	t.ffirst = -1
	t.nfin = 0
}

// addWord appends a word to the batch's arena; finishWords makes the strings.
func (t *task) addWord(w []byte) {
	t.arena = append(t.arena, w...)
	t.wends = append(t.wends, int32(len(t.arena)))
}

// finishWords turns the arena into the batch's words with one allocation,
// so the strings can outlive the batch without pinning its buffers.
func (t *task) finishWords() {
	s := string(t.arena)
	start := int32(0)
	for _, e := range t.wends {
		t.words = append(t.words, s[start:e])
		start = e
	}
}

// stage is a format's part of the pipeline.
type stage struct {
	// produce fills t in file order, on one goroutine. It returns more=false
	// after the last batch; an error stops the read after the batches
	// before it have been delivered.
	produce func(ctx context.Context, t *task) (more bool, err error)
	// process, if not nil, runs on a worker goroutine, in parallel with
	// other batches; it may set t.err.
	process func(t *task)
}

// pipelineGoroutines counts the goroutines of running pipelines, so that a
// test can see that none outlives its read without polling the process's
// goroutine count.
var pipelineGoroutines atomic.Int32

// runPipeline runs st with the given number of workers and hands each batch,
// in file order, to consume on the calling goroutine. consume returns
// stop=true to end the read early. No goroutine outlives the call.
func runPipeline(ctx context.Context, workers int, st stage, consume func(t *task) (stop bool, err error)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if workers < 1 {
		workers = 1
	}
	ntasks := 2*workers + 1
	free := make(chan *task, ntasks)
	for range ntasks {
		free <- &task{done: make(chan struct{}, 1)}
	}
	// order and work never block: there are only ntasks tasks.
	order := make(chan *task, ntasks)
	work := make(chan *task, ntasks)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer pipelineGoroutines.Add(-1)
		pipelineGoroutines.Add(1)
		produceAll(ctx, st, free, order, work)
	}()
	if st.process != nil {
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer pipelineGoroutines.Add(-1)
				pipelineGoroutines.Add(1)
				for t := range work {
					st.process(t)
					t.done <- struct{}{}
				}
			}()
		}
	}
	var err error
	for t := range order {
		<-t.done
		if err = ctx.Err(); err != nil {
			break
		}
		var stop bool
		stop, err = consume(t)
		free <- t
		if stop || err != nil {
			break
		}
	}
	cancel()
	wg.Wait()
	if err == nil {
		// The producer may have stopped for a cancelled context before
		// the consumer noticed: the read is cut short, not finished.
		err = parent.Err()
	}
	return err
}

// produceAll is the pipeline's producer: it fills free tasks with st until
// the input ends, fails or ctx is cancelled, passing each on in order, and
// to the workers when st has a process step; it closes order and work.
func produceAll(ctx context.Context, st stage, free <-chan *task, order, work chan<- *task) {
	defer close(order)
	defer close(work)
	for {
		var t *task
		select {
		case t = <-free:
		case <-ctx.Done():
			return
		}
		t.reset()
		more, err := st.produce(ctx, t)
		if err != nil {
			t.err = err
			more = false
		}
		order <- t
		if st.process != nil && t.err == nil {
			work <- t
		} else {
			t.done <- struct{}{}
		}
		if !more {
			return
		}
	}
}
