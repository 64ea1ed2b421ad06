package shell

import (
	"sort"
	"strconv"
)

// Var is a shell variable: a typed object with a description, as in the
// JXSE shell's environment.
type Var struct {
	Name        string
	Description string
	Value       any
}

// Env is the set of shell variables.
type Env struct {
	vars     map[string]*Var
	counters map[string]int // next number per auto-name prefix (env, peer, group, adv)
}

func newEnv() *Env {
	return &Env{vars: make(map[string]*Var), counters: make(map[string]int)}
}

// Get returns the variable name, or nil.
func (e *Env) Get(name string) *Var { return e.vars[name] }

// Set stores a value under name, replacing any previous one.
func (e *Env) Set(name, description string, value any) *Var {
	v := &Var{Name: name, Description: description, Value: value}
	e.vars[name] = v
	return v
}

// Unset removes a variable and reports whether it existed.
func (e *Env) Unset(name string) bool {
	_, ok := e.vars[name]
	delete(e.vars, name)
	return ok
}

// NextName returns the next free automatic name with the given prefix:
// env0, env1, ... (peerN, groupN and advN for discovery results).
func (e *Env) NextName(prefix string) string {
	for {
		n := e.counters[prefix]
		e.counters[prefix] = n + 1
		name := prefix + strconv.Itoa(n)
		if _, taken := e.vars[name]; !taken {
			return name
		}
	}
}

// Names returns the variable names in sorted order.
func (e *Env) Names() []string {
	out := make([]string, 0, len(e.vars))
	for n := range e.vars {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// closeUnheld closes value, a pipe or connection no longer in a variable,
// unless another variable still holds it. Other values are left alone.
func (e *Env) closeUnheld(value any) error {
	cl, ok := closable(value)
	if !ok {
		return nil
	}
	for _, v := range e.vars {
		if other, ok := closable(v.Value); ok && other == cl {
			return nil
		}
	}
	return cl.Close()
}
