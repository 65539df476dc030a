package gospice

import (
	"math"
	"sync"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/parser"
	"github.com/gospice/gospice/parser/expr"
	"github.com/gospice/gospice/parser/expr/tape"
)

// exprProbe computes Xyce's {expression} of vectors at each output point: the
// expression compiled once, its probes (v(a), v(a,b), i(v1) of a source or a device)
// read from the unknowns as the plain vectors are.
type exprProbe struct {
	tape *tape.Tape
	args []analysis.Probe // one per probe of the tape, in its order
	// One workspace, behind a lock: a Simulation's outputs are shared by its runs,
	// which may be concurrent, and the lock costs no allocation at each point.
	mu sync.Mutex
	w  *tape.Workspace
}

// Value is the expression at x; NaN where it has no finite value (a division by zero).
func (p *exprProbe) Value(x []float64) float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, a := range p.args {
		p.w.SetProbe(k, a.Value(x))
	}
	if !p.w.Eval() {
		return math.NaN()
	}
	return p.w.Value()
}

// exprVectorProbe resolves the probes of an expression vector and compiles it.
func (s *Simulation) exprVectorProbe(v parser.Vector) (analysis.Probe, analysis.Quantity, error) {
	t, err := tape.Compile(v.Expr, tape.Env{Temp: s.env.Temp, Gmin: s.env.Gmin})
	if err != nil {
		return nil, 0, parser.Errorf(v.Pos, "cannot output %s: %v", v.Name, err)
	}
	p := &exprProbe{tape: t, w: t.NewWorkspace()}
	for _, pr := range t.Probes() {
		arg := parser.Vector{Pos: v.Pos}
		if pr.Kind == 'v' {
			arg.Kind, arg.Nodes = parser.VectorVoltage, pr.Names
		} else {
			arg.Kind, arg.Device = parser.VectorCurrent, pr.Names[0]
		}
		arg.Name = expr.ProbeName(pr)
		a, _, err := s.probe(arg)
		if err != nil {
			return nil, 0, err
		}
		p.args = append(p.args, a)
	}
	return p, analysis.Dimensionless, nil
}

// inBlock is the expression over the same probes of one block, or errSpans when they are
// not all in one block (a partitioned transient then runs as one system).
func (p *exprProbe) inBlock(probes func(analysis.Probe) ([]int, []analysis.Probe, error)) ([]int, []analysis.Probe, error) {
	q := &exprProbe{tape: p.tape, w: p.tape.NewWorkspace()}
	block := -1
	for _, a := range p.args {
		bs, ps, err := probes(a)
		if err != nil {
			return nil, nil, err
		}
		if len(bs) != 1 || block >= 0 && bs[0] != block {
			return nil, nil, errSpans
		}
		block = bs[0]
		q.args = append(q.args, ps[0])
	}
	if block < 0 {
		return nil, nil, errSpans // reads nothing: no block to hold it
	}
	return []int{block}, []analysis.Probe{q}, nil
}
