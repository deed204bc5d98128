//go:build race

package trainer

// raceEnabled is true under -race: multi-worker training tests skip themselves then,
// because the lock-free Hogwild weight updates are a deliberate data race (hogwild.go).
const raceEnabled = true
