//go:build race

package db_test

// raceEnabled is true under -race, where the tests that train Word2Vec on
// a Wikipedia shard skip themselves: training runs ten times slower there.
const raceEnabled = true
