package shell

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// runPipeline runs the stages of p one after the other: each stage's
// text and returned object are the next one's In and Piped, and the last
// stage writes to the shell's output. A failing stage stops the pipeline;
// the text it wrote goes to the shell's output before its error (unless
// it overflowed the pipe). It reports whether every stage succeeded.
func (s *Shell) runPipeline(p pipeline) bool {
	status := s.status // "$?" is the status before the pipeline, in every stage
	args := make([][]string, len(p.stages))
	cmds := make([]*Command, len(p.stages))
	for i, st := range p.stages {
		args[i] = make([]string, len(st))
		for j, w := range st {
			args[i][j] = w.expand(status)
		}
		cmds[i] = s.commands[args[i][0]]
	}
	if s.Env.Get("echo") != nil {
		fmt.Fprintln(s.Out, Prompt+pipelineText(p.assign, args))
	}
	for i, name := range args {
		if cmds[i] == nil {
			fmt.Fprintf(s.Err, "%s: unknown command (man lists the commands)\n", name[0])
			s.status = 127
			return false
		}
	}
	var (
		c     *Call
		in    *pipeText // what the previous stage wrote
		piped *Var      // what the previous stage returned
	)
	for i, cmd := range cmds {
		c = &Call{Args: args[i][1:], Piped: piped}
		if in != nil {
			c.In = bytes.NewReader(in.Bytes())
		}
		var out *pipeText
		if i == len(cmds)-1 {
			c.Out, c.Assign = s.Out, p.assign
		} else {
			out = &pipeText{}
			c.Out, c.toPipe = out, true
		}
		err := s.run(cmd, c)
		switch {
		case out == nil || err == nil && !out.full:
		case out.full:
			err = fmt.Errorf("wrote more than %d bytes into the pipe", maxText)
		default:
			s.Out.Write(out.Bytes()) // what a failing stage wrote is not lost
		}
		s.report(cmd, err)
		if err != nil {
			return false
		}
		if s.exited {
			return true
		}
		in, piped = out, c.returned
	}
	if r := c.returned; p.assign != "" && r != nil && r.Name != p.assign {
		s.Env.Set(p.assign, r.Description, r.Value)
	}
	return true
}

// errPipeFull is what writing more than maxText bytes into a pipe
// returns.
var errPipeFull = errors.New("pipe full")

// pipeText holds the text one stage writes for the next, up to maxText
// bytes.
type pipeText struct {
	bytes.Buffer
	full bool // a write went past maxText
}

// Write appends p, or refuses it past maxText.
func (t *pipeText) Write(p []byte) (int, error) {
	if t.Len()+len(p) > maxText {
		t.full = true
		return 0, errPipeFull
	}
	return t.Buffer.Write(p)
}

// pipelineText prints a pipeline for echo, quoting words that need it.
func pipelineText(assign string, stages [][]string) string {
	var b strings.Builder
	if assign != "" {
		b.WriteString(assign + " = ")
	}
	for i, args := range stages {
		if i > 0 {
			b.WriteString(" | ")
		}
		for j, a := range args {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(quoteWord(a))
		}
	}
	return b.String()
}

// quoteWord returns a as the tokenizer reads it back as one word.
func quoteWord(a string) string {
	if a != "" && !strings.ContainsAny(a, " \t\r\n\"'\\;|&#$") {
		return a
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`)
	return `"` + r.Replace(a) + `"`
}
