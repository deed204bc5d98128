package db_test

import (
	"fmt"
	"strconv"
)

func strconvFloat32(f float32) string { return strconv.FormatFloat(float64(f), 'g', -1, 32) }

func fmtAny(v any) string { return fmt.Sprint(v) }
