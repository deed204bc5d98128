//go:build linux

package store

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// sharedLocking says that this system has the locks fileLock needs.
const sharedLocking = true

// Linux's open-file-description lock commands (fcntl.h); the syscall
// package does not name them.
const (
	fOFDGetLK = 36
	fOFDSetLK = 37
)

type rangeType int16

const (
	rangeRead  rangeType = syscall.F_RDLCK
	rangeWrite rangeType = syscall.F_WRLCK
)

// flockTry sets the flock of f to mode without waiting; false means
// another descriptor holds a conflicting lock.
func flockTry(f *os.File, mode lockMode) (bool, error) {
	how := syscall.LOCK_UN
	switch mode {
	case sharedLock:
		how = syscall.LOCK_SH | syscall.LOCK_NB
	case exclusiveLock:
		how = syscall.LOCK_EX | syscall.LOCK_NB
	}
	for {
		err := syscall.Flock(int(f.Fd()), how)
		switch err {
		case nil:
			return true, nil
		case syscall.EWOULDBLOCK:
			return false, nil
		case syscall.EINTR:
			continue
		}
		return false, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
}

// rangeLock locks the byte at off of f without waiting; false means
// another open file description holds a conflicting lock.
func rangeLock(f *os.File, off int64, typ rangeType) (bool, error) {
	return rangeSet(f, off, int16(typ))
}

// rangeUnlock unlocks the byte at off of f.
func rangeUnlock(f *os.File, off int64) error {
	_, err := rangeSet(f, off, syscall.F_UNLCK)
	return err
}

// rangeFree reports whether nobody else holds a write lock on the byte at
// off of f.
func rangeFree(f *os.File, off int64) (bool, error) {
	lk := syscall.Flock_t{Type: syscall.F_RDLCK, Whence: 0, Start: off, Len: 1}
	for {
		err := syscall.FcntlFlock(f.Fd(), fOFDGetLK, &lk)
		switch err {
		case nil:
			return lk.Type == syscall.F_UNLCK, nil
		case syscall.EINTR:
			continue
		}
		return false, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
}

func rangeSet(f *os.File, off int64, typ int16) (bool, error) {
	lk := syscall.Flock_t{Type: typ, Whence: 0, Start: off, Len: 1}
	for {
		err := syscall.FcntlFlock(f.Fd(), fOFDSetLK, &lk)
		switch err {
		case nil:
			return true, nil
		case syscall.EAGAIN, syscall.EACCES:
			return false, nil
		case syscall.EINTR:
			continue
		}
		return false, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
}

// lockHolders says which other processes hold a flock on f, from
// /proc/locks: "pid 1234 (embeddb words.db) is writing". It returns ""
// when it cannot tell.
func lockHolders(f *os.File) string {
	st, err := f.Stat()
	if err != nil {
		return ""
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	dev := uint64(sys.Dev)
	major := (dev>>8)&0xfff | (dev>>32)&^uint64(0xfff)
	minor := dev&0xff | (dev>>12)&^uint64(0xff)
	want := fmt.Sprintf("%02x:%02x:%d", major, minor, sys.Ino)
	pl, err := os.Open("/proc/locks")
	if err != nil {
		return ""
	}
	defer pl.Close()
	self := os.Getpid()
	doing := map[int]string{}
	var order []int
	sc := bufio.NewScanner(pl)
	for sc.Scan() {
		// "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF", or OFDLCK
		// for the byte-range locks (pid -1 on older kernels); lines
		// starting "->" are waiters.
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[5] != want || (fields[1] != "FLOCK" && fields[1] != "OFDLCK") {
			continue
		}
		pid, err := strconv.Atoi(fields[4])
		if err != nil || pid == self || pid <= 0 {
			continue
		}
		what := "has it open"
		switch {
		case fields[1] == "FLOCK" && fields[3] == "WRITE":
			what = "is writing it (or holds it exclusively)"
		case fields[1] == "FLOCK":
			what = "is reading it"
		case fields[3] == "WRITE":
			what = "is about to write it"
		}
		old, ok := doing[pid]
		if !ok {
			order = append(order, pid)
		}
		if !ok || old == "has it open" || what == "is writing it (or holds it exclusively)" {
			doing[pid] = what
		}
	}
	var out []string
	for _, pid := range order {
		out = append(out, fmt.Sprintf("pid %d%s %s", pid, describePid(pid), doing[pid]))
	}
	if len(out) > 3 {
		out = append(out[:3], fmt.Sprintf("and %d more", len(out)-3))
	}
	return strings.Join(out, ", ")
}

// describePid returns " (command args)" for a process, shortened, or "".
func describePid(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || len(b) == 0 {
		return ""
	}
	args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	if len(args) > 0 {
		args[0] = args[0][strings.LastIndexByte(args[0], '/')+1:]
	}
	s := strings.Join(strings.Fields(strings.Join(args, " ")), " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return " (" + s + ")"
}
