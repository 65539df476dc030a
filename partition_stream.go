package gospice

import (
	"math"
	"sync"
	"time"
)

// recorder takes a block's rows (time and its outputs, width values a row; only the
// time is tracked for a block without outputs) as the block accepts them, for the
// merger, which takes them away as it goes: the block's goroutine writes, the merger's
// reads, under mu.
type recorder struct {
	width int

	mu   sync.Mutex
	rows []float64 // rows not yet taken by the merger
	last float64   // the time of the block's latest point; -Inf before its first
	done bool      // the block has ended
}

func newRecorder(width int) *recorder {
	return &recorder{width: width, last: math.Inf(-1)}
}

func (r *recorder) Begin([]Column) error { return nil }

func (r *recorder) Point(row []float64) error {
	r.mu.Lock()
	if r.width > 1 {
		r.rows = append(r.rows, row...)
	}
	r.last = row[0]
	r.mu.Unlock()
	return nil
}

// finish marks the block ended.
func (r *recorder) finish() {
	r.mu.Lock()
	r.done = true
	r.mu.Unlock()
}

// merger writes the rows of the blocks on one time grid as they become final: the union
// of the blocks' time points, each block's values at a time between two of its points
// interpolated linearly between them (held before its first and after its last point).
// A block's row repeated at one time (a device event) stays a repeated row. Blocks
// without outputs add no time points. A column that several blocks have (a shared
// supply's current) is the sum of their values.
//
// The merger looks at the blocks every mergeEvery of the wall clock (not at each point,
// which would cost a look at every block per point of any). A row at time t is final once every block has advanced past t (a block at t may still
// repeat a row there) or ended: up to then the merger keeps, per block, the rows it has
// not written and the last one it has, so that memory holds the window between the
// slowest block and the fastest. The rows are those a merge after every block's end
// would write, bit for bit.
type merger struct {
	recs  []*recorder
	cols  [][]int // per block: the columns of its outputs in the row
	width int
	sink  Sink

	row  []float64
	rows [][]float64 // per block: its rows taken from its recorder, from one before next
	next []int       // per block: its first row in rows not yet written
	live []bool      // per block: has outputs and rows
}

// mergeEvery is how often the merger writes the rows that have become final: often
// enough for a progress bar, rarely enough to cost nothing beside the blocks' work.
const mergeEvery = 20 * time.Millisecond

func newMerger(recs []*recorder, cols [][]int, width int, sink Sink) *merger {
	return &merger{recs: recs, cols: cols, width: width, sink: sink, row: make([]float64, width),
		rows: make([][]float64, len(recs)), next: make([]int, len(recs)), live: make([]bool, len(recs))}
}

// stream writes the rows as they become final until ran is closed (every block has
// ended), and returns the sink's error, after cancelling the run and waiting for its end;
// with hold, it writes none.
func (m *merger) stream(ran <-chan struct{}, cancel func(), hold bool, stop float64) error {
	tick := time.NewTicker(mergeEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if final := m.collect(); !hold && !math.IsInf(final, 1) {
				if err := m.write(final, stop); err != nil {
					cancel()
					<-ran
					return err
				}
			}
		case <-ran:
			return nil
		}
	}
}

// collect takes the blocks' new rows and returns the time up to which rows are final:
// the earliest latest point of the blocks still running (+Inf when all have ended).
func (m *merger) collect() float64 {
	final := math.Inf(1)
	for b, r := range m.recs {
		r.mu.Lock()
		m.rows[b] = append(m.rows[b], r.rows...)
		r.rows = r.rows[:0]
		if !r.done {
			final = math.Min(final, r.last)
		}
		r.mu.Unlock()
		m.live[b] = len(m.cols[b]) > 0 && len(m.rows[b]) > 0
	}
	return final
}

// write writes the rows before final (up to end, included, once every block has ended),
// then drops the rows no longer needed.
func (m *merger) write(final, end float64) error {
	at := func(b, k int) float64 { return m.rows[b][k*m.recs[b].width] }
	rowsOf := func(b int) int { return len(m.rows[b]) / m.recs[b].width }
	defer m.drop()
	for {
		t := math.Inf(1)
		for b, live := range m.live {
			if live && m.next[b] < rowsOf(b) {
				t = math.Min(t, at(b, m.next[b]))
			}
		}
		if math.IsInf(t, 1) || t > end || !math.IsInf(final, 1) && t >= final {
			return nil
		}
		row := m.row
		clear(row)
		row[0] = t
		for b, live := range m.live {
			if !live {
				continue
			}
			w, rows, k, cols := m.recs[b].width, m.rows[b], m.next[b], m.cols[b]
			switch {
			case k < rowsOf(b) && at(b, k) == t:
				copyInto(row, cols, rows[k*w+1:(k+1)*w])
				m.next[b]++
			case k == 0:
				copyInto(row, cols, rows[1:w])
			case k == rowsOf(b):
				copyInto(row, cols, rows[(k-1)*w+1:k*w])
			default:
				t0, t1 := at(b, k-1), at(b, k)
				f := (t - t0) / (t1 - t0)
				for j, c := range cols {
					v0, v1 := rows[(k-1)*w+1+j], rows[k*w+1+j]
					row[c] += v0 + f*(v1-v0)
				}
			}
		}
		if err := m.sink.Point(row); err != nil {
			return err
		}
	}
}

// drop forgets each block's written rows but the last, which later rows interpolate from.
func (m *merger) drop() {
	for b, k := range m.next {
		if k > 1 {
			w := m.recs[b].width
			n := copy(m.rows[b], m.rows[b][(k-1)*w:])
			m.rows[b] = m.rows[b][:n]
			m.next[b] = 1
		}
	}
}

// copyInto adds a block's values to their columns of the row.
func copyInto(row []float64, cols []int, vals []float64) {
	for j, c := range cols {
		row[c] += vals[j]
	}
}
