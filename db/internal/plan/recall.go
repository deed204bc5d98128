package plan

import (
	"fmt"

	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/index"
)

// SET recall = r: the search setting comes from the recall calibration
// CREATE INDEX saved with the index (index.Calibrate: a sample of the
// table's own rows searched as held-out queries). The cheapest setting
// whose measured recall@10 reached r is used; when none did, or the index
// was built without a calibration, NEAREST searches exactly, which meets
// any recall.

// CalibrationParam is the index parameter holding the calibration
// (index.Calibration.String()).
const CalibrationParam = "recall_calibration"

// recallPlan chooses the search of an HNSW index for SET recall = target.
// It sets n's ef_search and rescore depth and returns n, or, when no
// calibrated setting reaches the target, returns the exact search that
// replaces it.
func recallPlan(n *HNSWSearch, ix *store.IndexInfo, t *store.Table, target float64) Node {
	exact := func(why string) Node {
		return &ExactSearch{Table: n.Table, Call: n.Call, Filter: n.Filter, Rows: t.Rows(), Metric: t.Metric(),
			Readable: n.Readable, RecallNote: fmt.Sprintf("for recall %g: %s", target, why)}
	}
	if target >= 1 {
		return exact("only an exact search is sure to find every true neighbour")
	}
	s, _ := ix.Params[CalibrationParam].(string)
	if s == "" {
		return exact("the index has no recall calibration (CREATE INDEX makes one; this index predates it)")
	}
	cal, err := index.ParseCalibration(s)
	if err != nil {
		return exact(err.Error())
	}
	p, ok := cal.For(target)
	if !ok {
		if len(cal.Points) == 0 {
			return exact("the table is too small to calibrate, and an exact search is as quick")
		}
		return exact(fmt.Sprintf("no ef_search tried reached it on %d of the table's own rows", cal.Queries))
	}
	n.Ef, n.EfSet = p.EfSearch, p.EfSearch
	if p.Rescore > 0 {
		n.Rescore, n.RescoreSet = p.Rescore, p.Rescore
	}
	n.Recall, n.Calibrated, n.CalQueries, n.CalK = target, p.Recall, cal.Queries, cal.K
	return n
}

// recallNote is the part of an HNSWSearch's EXPLAIN line about SET recall.
func (n *HNSWSearch) recallNote() string {
	if n.Recall == 0 {
		return ""
	}
	return fmt.Sprintf(", chosen for recall %g: recall@%d %.4f estimated on %d of the table's own rows", n.Recall, n.CalK, n.Calibrated, n.CalQueries)
}
