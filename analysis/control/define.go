package control

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	pc "github.com/gospice/gospice/parser/control"
)

// userFunc is a function that define made: define mismatch(a,b,err) abs(a-b)>err.
type userFunc struct {
	name   string
	params []string
	body   *pc.Expr
	text   string // the body as written, for define's listing
}

// maxCallDepth bounds user functions that call each other, so that one that calls
// itself ends with an error.
const maxCallDepth = 64

// defKey is a user function's key: ngspice tells functions of the same name apart by
// their number of arguments.
func defKey(name string, arity int) string { return fmt.Sprintf("%s/%d", name, arity) }

// cmdDefine defines a function (define f(a, b) expression), lists one (define f(a, b)),
// or lists them all (define).
func (in *Interp) cmdDefine(ctx context.Context, c *pc.Command, args string) error {
	s := strings.TrimSpace(args)
	if s == "" {
		for _, k := range slices.Sorted(maps.Keys(in.defs)) {
			in.printDef(in.defs[k])
		}
		return nil
	}
	open, closing := strings.IndexByte(s, '('), strings.IndexByte(s, ')')
	if open <= 0 || closing < open {
		return errors.New("usage: define name(arg, ...) expression")
	}
	name := strings.ToLower(strings.TrimSpace(s[:open]))
	if !isWord(name) {
		return fmt.Errorf("bad function name %q", name)
	}
	var params []string
	if inner := strings.TrimSpace(s[open+1 : closing]); inner != "" {
		for _, p := range strings.Split(inner, ",") {
			p = strings.ToLower(strings.TrimSpace(p))
			if !isWord(p) || slices.Contains(params, p) {
				return fmt.Errorf("bad argument %q of %s", p, name)
			}
			params = append(params, p)
		}
	}
	body := strings.TrimSpace(s[closing+1:])
	if body == "" {
		f, ok := in.defs[defKey(name, len(params))]
		if !ok {
			return fmt.Errorf("no function %s of %d arguments", name, len(params))
		}
		in.printDef(f)
		return nil
	}
	e, err := pc.ParseExpr(body)
	if err != nil {
		return err
	}
	in.defs[defKey(name, len(params))] = &userFunc{name: name, params: params, body: e, text: body}
	return nil
}

// cmdUndefine removes the functions named, of any number of arguments (all of them
// with *).
func (in *Interp) cmdUndefine(ctx context.Context, c *pc.Command, args string) error {
	for _, w := range strings.Fields(strings.ToLower(args)) {
		for k, f := range in.defs {
			if w == "*" || f.name == w {
				delete(in.defs, k)
			}
		}
	}
	return nil
}

func (in *Interp) printDef(f *userFunc) {
	fmt.Fprintf(in.opt.Stdout, "%s (%s) = %s\n", f.name, strings.Join(f.params, ", "), f.text)
}

// callUser evaluates a user function: its arguments, then its body with the parameters
// standing for them.
func (in *Interp) callUser(f *userFunc, args []*pc.Expr) (*Vector, error) {
	if len(in.scopes) >= maxCallDepth {
		return nil, fmt.Errorf("%s: functions call each other more than %d deep", f.name, maxCallDepth)
	}
	scope := make(map[string]*Vector, len(args))
	for i, a := range args {
		v, err := in.eval(a)
		if err != nil {
			return nil, err
		}
		scope[f.params[i]] = v
	}
	in.scopes = append(in.scopes, scope)
	defer func() { in.scopes = in.scopes[:len(in.scopes)-1] }()
	v, err := in.eval(f.body)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", f.name, err)
	}
	return v, nil
}

func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	return true
}
