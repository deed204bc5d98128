package trainer_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/embeddb/embeddb/trainer"
)

func ExampleTrain() {
	text := strings.Repeat("the cat sat on the mat\nthe dog sat on the log\n", 50)
	opts := trainer.DefaultOptions()
	if err := opts.Set("min_count", int64(1)); err != nil {
		panic(err)
	}
	opts.Set("sg", int64(1))
	opts.Set("vector_size", int64(16))
	opts.Set("workers", int64(1))
	m, err := trainer.Train(context.Background(), trainer.Text(text), opts)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(m.Words), "words,", m.Dim, "dimensions")
	for i := range 3 {
		fmt.Println(m.Words[i], m.Counts[i])
	}
	fmt.Println(m.Stats.RawWords, "words per epoch")
	// Output:
	// 7 words, 16 dimensions
	// the 200
	// on 100
	// sat 100
	// 600 words per epoch
}

func ExampleOptions_Set() {
	opts := trainer.DefaultOptions()
	fmt.Println(opts.Set("vectorsize", int64(300)))
	fmt.Println(opts.Set("vector_size", int64(0)))
	fmt.Println(opts.Set("sample", int64(0)), opts.Sample)
	// Output:
	// trainer: unknown parameter "vectorsize" (did you mean vector_size?)
	// trainer: vector_size must be at least 1, found 0
	// <nil> 0
}
