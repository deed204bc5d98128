//go:build race

package main

// raceEnabled is set when the tests run with -race: the REPL test then
// builds the command with -race too.
const raceEnabled = true
