//go:build !linux

package store

import "os"

// sharedLocking says that this system has the locks fileLock needs: it
// has no open-file-description locks, so the store keeps bbolt's own lock
// from Open to Close, as Options.Exclusive does.
const sharedLocking = false

type rangeType int16

const (
	rangeRead rangeType = iota
	rangeWrite
)

func flockTry(*os.File, lockMode) (bool, error)          { return true, nil }
func rangeLock(*os.File, int64, rangeType) (bool, error) { return true, nil }
func rangeUnlock(*os.File, int64) error                  { return nil }
func rangeFree(*os.File, int64) (bool, error)            { return true, nil }
func lockHolders(*os.File) string                        { return "" }
