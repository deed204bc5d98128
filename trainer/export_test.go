package trainer

import "testing"

// Exported for the external tests of package trainer_test.

func RaceEnabledForTest() bool { return raceEnabled }

func SharedFileForTest(t testing.TB, rel string) string { return sharedFile(t, rel) }

func SharedDirForTest(t testing.TB) string { return sharedDir(t) }
