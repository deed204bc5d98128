//go:build !race

package db_test

const raceEnabled = false
