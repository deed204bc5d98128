// Command embeddb is the embeddb shell: a REPL, a batch-script runner and a
// one-shot query tool for embeddb database files.
package main

import (
	"fmt"
	"os"
)

var version = "dev"

func main() {
	fmt.Fprintln(os.Stderr, "embeddb", version, ": not built yet")
	os.Exit(1)
}
