package shell

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/pipe"
)

// pipeCommands make pipes and messages and move messages through them:
// JXSE's mkpipe, mkmsg, put, get, send and recv, and listen and dial for
// bidirectional pipes.
func pipeCommands() []*Command {
	return []*Command{
		{
			Name:     "mkpipe",
			Synopsis: "mkpipe -i|-o [-t ms] pipeVar",
			Summary:  "make the input or output end of a pipe",
			Details: `Makes an end of the pipe whose advertisement pipeVar holds, in the current
group, and stores it in a variable (envN, or the name given with
"var = mkpipe ..."). The input end (-i) binds the pipe on this peer: the
messages sent to it wait there for recv. The output end (-o) finds the
peer that bound a unicast pipe, waiting up to -t milliseconds (default
10000), and fails if none answers; a propagate pipe's output end reaches
every peer of the group that bound the pipe.

Options:
    -i      the input (receiving) end
    -o      the output (sending) end
    -t ms   how long -o waits for the pipe to be found (default 10000)

Example:
    p = newpipe -n apipe
    in = mkpipe -i p
    out = mkpipe -o -t 5000 p`,
			Run: runMkpipe,
		},
		{
			Name:     "mkmsg",
			Synopsis: "mkmsg",
			Summary:  "make an empty message",
			Details: `Makes an empty message and stores it in a variable (envN, or the name
given with "var = mkmsg"). Add elements with put, send it with send.

Example:
    m = mkmsg
    put m hello "hello, pooh"`,
			Run: runMkmsg,
		},
		{
			Name:     "put",
			Synopsis: "put msgVar tag docVar|text",
			Summary:  "add an element to a message",
			Details: `Adds an element named tag to the message held in msgVar. If docVar names a
variable, the element holds what it holds: an advertisement or document as
XML (text/xml), text as text/plain. Otherwise the argument itself is the
element's text. An element of the same name is replaced.

Example:
    put m hello "hello, pooh"
    put m adv p`,
			Run: runPut,
		},
		{
			Name:     "get",
			Synopsis: "get msgVar tag",
			Summary:  "read an element of a message",
			Details: `Prints the element named tag of the message held in msgVar, and stores it
in a variable (envN, or the name given with "var = get ..."): an XML
advertisement as an advertisement, text as text, anything else as bytes.

Example:
    text = get m hello
    cat text`,
			Run: runGet,
		},
		{
			Name:     "send",
			Synopsis: "send pipeVar msgVar",
			Summary:  "send a message through a pipe",
			Details: `Sends the message held in msgVar through the output pipe (mkpipe -o) or
the connection (listen, dial) held in pipeVar. Prints nothing unless it
fails.

Example:
    send out m`,
			Run: runSend,
		},
		{
			Name:     "recv",
			Synopsis: "recv [-t ms] pipeVar",
			Summary:  "receive a message from a pipe",
			Details: `Waits for the next message on the input pipe (mkpipe -i) or connection
(listen, dial) held in pipeVar, at most -t milliseconds (0 or no -t:
until a message comes; Ctrl-C stops waiting), and stores it in a variable
(envN, or the name given with "var = recv ..."). Fails if no message came.

Options:
    -t ms   how long to wait (default: no limit)

Example:
    m = recv -t 10000 in
    get m hello`,
			Run: runRecv,
		},
		{
			Name:     "listen",
			Synopsis: "listen [-t ms] pipeVar",
			Summary:  "accept a bidirectional pipe connection",
			Details: `Listens on the unicast pipe whose advertisement pipeVar holds and waits
for one peer to dial it, at most -t milliseconds (default: no limit;
Ctrl-C stops waiting). The connection is stored in a variable (envN, or
the name given with "var = listen ..."): send and recv move messages over
it, in order and reliably, of any size.

Options:
    -t ms   how long to wait for the connection (default: no limit)

Example:
    p = newpipe -n chat
    c = listen p
    m = recv c`,
			Run: runListen,
		},
		{
			Name:     "close",
			Synopsis: "close var...",
			Summary:  "close a pipe or a connection",
			Details: `Closes the input pipe (mkpipe -i), output pipe (mkpipe -o) or connection
(listen, dial) held in each variable named. Closing a connection ends it
in both directions: the other side's recv says the connection was closed
(end of stream). Closing an input pipe unbinds it; later sends through an
output pipe fail. The variables stay, closed; unset removes them.

unset closes the pipe or connection a variable holds too, unless another
variable holds the same one ("set b a" copies a, pipe and all). If one
variable holds no pipe or connection, none is closed.

Example:
    c = dial p
    send c m
    close c`,
			Run: runClose,
		},
		{
			Name:     "dial",
			Synopsis: "dial [-t ms] pipeVar",
			Summary:  "open a bidirectional pipe connection",
			Details: `Connects to the peer listening on the unicast pipe whose advertisement
pipeVar holds, waiting at most -t milliseconds (default 10000), and stores
the connection in a variable (envN, or the name given with
"var = dial ..."): send and recv move messages over it.

Options:
    -t ms   how long to wait (default 10000)

Example:
    c = dial -t 5000 p
    send c m`,
			Run: runDial,
		},
	}
}

// defaultResolveWait is how long mkpipe -o and dial wait by default.
const defaultResolveWait = 10 * time.Second

// pipeConn is a bidirectional pipe connection held in a variable: whole
// messages go over it.
type pipeConn struct {
	conn   *pipe.Conn
	mc     *pipe.MessageConn
	closed atomic.Bool // close or unset closed it
}

// Close closes the connection in both directions.
func (p *pipeConn) Close() error {
	p.closed.Store(true)
	return p.conn.Close()
}

func newPipeConn(c *pipe.Conn) *pipeConn {
	return &pipeConn{conn: c, mc: pipe.NewMessageConn(c, pipe.Binary, 0)}
}

// String describes the connection.
func (p *pipeConn) String() string {
	return fmt.Sprintf("connection on pipe %s with %s", p.conn.LocalAddr().(pipe.Addr).Pipe, p.conn.RemoteAddr().(pipe.Addr).Peer)
}

// waitFlag adds -t ms to fs with the given default.
func waitFlag(fs *flag.FlagSet, def time.Duration) *int {
	return fs.Int("t", int(def/time.Millisecond), "milliseconds to wait")
}

// waitContext returns the command's context bounded by ms milliseconds
// (none when ms is 0).
func (c *Call) waitContext(ms int) (context.Context, context.CancelFunc, error) {
	if ms < 0 {
		return nil, nil, Usagef("-t %d: want milliseconds >= 0", ms)
	}
	if ms == 0 {
		ctx, cancel := context.WithCancel(c.Context())
		return ctx, cancel, nil
	}
	ctx, cancel := context.WithTimeout(c.Context(), time.Duration(ms)*time.Millisecond)
	return ctx, cancel, nil
}

// pipeOperand reads the one argument of mkpipe, listen and dial: the
// variable holding a pipe advertisement. It returns the advertisement
// and the current group's pipe service.
func (c *Call) pipeOperand(args []string) (*advert.PipeAdv, *pipe.Service, error) {
	if len(args) != 1 {
		return nil, nil, Usagef("want one pipe advertisement variable")
	}
	pa, err := c.pipeAdvArg(args[0])
	if err != nil {
		return nil, nil, err
	}
	g, err := c.Group()
	if err != nil {
		return nil, nil, err
	}
	return pa, g.Pipes(), nil
}

// pipeAdvArg returns the pipe advertisement held in variable name.
func (c *Call) pipeAdvArg(name string) (*advert.PipeAdv, error) {
	v, err := c.Var(name)
	if err != nil {
		return nil, err
	}
	a, err := advertOf(v)
	if err != nil {
		return nil, err
	}
	pa, ok := a.(*advert.PipeAdv)
	if !ok {
		return nil, fmt.Errorf("%s holds %s, not a pipe advertisement", name, aKind(a))
	}
	return pa, nil
}

func runMkpipe(c *Call) error {
	fs := c.Flags()
	in := fs.Bool("i", false, "input end")
	out := fs.Bool("o", false, "output end")
	wait := waitFlag(fs, defaultResolveWait)
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if *in == *out {
		return Usagef("want one of -i and -o")
	}
	pa, ps, err := c.pipeOperand(args)
	if err != nil {
		return err
	}
	if *in {
		ip, err := ps.Bind(pa)
		if err != nil {
			return err
		}
		name := c.Result("env", "input pipe "+pa.Name, ip)
		fmt.Fprintf(c.Out, "%s = input pipe %s (%s)\n", name, pa.Name, pa.PipeID)
		return nil
	}
	ctx, cancel, err := c.waitContext(*wait)
	if err != nil {
		return err
	}
	defer cancel()
	op, err := ps.Connect(ctx, pa)
	if err != nil {
		return err
	}
	name := c.Result("env", "output pipe "+pa.Name, op)
	if peer := op.Peer(); !peer.IsNull() {
		fmt.Fprintf(c.Out, "%s = output pipe %s, bound on %s\n", name, pa.Name, peerLabel(c, peer))
	} else {
		fmt.Fprintf(c.Out, "%s = output pipe %s (propagate)\n", name, pa.Name)
	}
	return nil
}

func runMkmsg(c *Call) error {
	if len(c.Args) > 0 {
		return Usagef("takes no arguments")
	}
	name := c.Result("env", "message", jxta.NewMessage())
	fmt.Fprintf(c.Out, "%s = message\n", name)
	return nil
}

// messageArg returns the message held in variable name.
func (c *Call) messageArg(name string) (*jxta.Message, error) {
	v, err := c.Var(name)
	if err != nil {
		return nil, err
	}
	m, ok := v.Value.(*jxta.Message)
	if !ok {
		return nil, fmt.Errorf("%s holds %s, not a message (mkmsg makes one)", name, aKind(v.Value))
	}
	return m, nil
}

func runPut(c *Call) error {
	if len(c.Args) != 3 {
		return Usagef("want msgVar tag docVar|text")
	}
	m, err := c.messageArg(c.Args[0])
	if err != nil {
		return err
	}
	tag := c.Args[1]
	if tag == "" {
		return Usagef("empty tag")
	}
	el := jxta.Element{Name: tag, Type: jxta.TypeText, Data: []byte(c.Args[2])}
	if v := c.Shell.Env.Get(c.Args[2]); v != nil {
		switch val := v.Value.(type) {
		case advert.Advertisement:
			el.Type, el.Data = jxta.TypeXML, advert.Marshal(val)
		case Found:
			a, err := advertOf(v)
			if err != nil {
				return err
			}
			el.Type, el.Data = jxta.TypeXML, advert.Marshal(a)
		case string:
			el.Data = []byte(val)
		case []byte:
			el.Type, el.Data = jxta.TypeOctetStream, val
		default:
			return fmt.Errorf("%s holds %s, which cannot go in a message", c.Args[2], aKind(v.Value))
		}
	}
	m.Replace(el)
	return nil
}

func runGet(c *Call) error {
	if len(c.Args) != 2 {
		return Usagef("want msgVar tag")
	}
	m, err := c.messageArg(c.Args[0])
	if err != nil {
		return err
	}
	el, ok := m.Get("", c.Args[1])
	if !ok {
		return fmt.Errorf("%s has no element %q (cat %s lists them)", c.Args[0], c.Args[1], c.Args[0])
	}
	var value any = append([]byte(nil), el.Data...)
	desc := fmt.Sprintf("element %s of %s", c.Args[1], c.Args[0])
	switch {
	case el.MIMEType() == jxta.TypeXML || el.MIMEType() == "text/xml":
		if a, err := advert.Parse(el.Data); err == nil {
			value = a
			break
		}
		value = string(el.Data)
	case isText(el.MIMEType()):
		value = string(el.Data)
	}
	name := c.Result("env", desc, value)
	v := c.Shell.Env.Get(name)
	if _, isBytes := value.([]byte); isBytes {
		fmt.Fprintf(c.Out, "%s = %d bytes of %s\n", name, len(el.Data), el.MIMEType())
		return nil
	}
	return showObject(c.Out, v, true)
}

// isText reports whether a MIME type is text.
func isText(t string) bool { return len(t) >= 5 && t[:5] == "text/" }

func runSend(c *Call) error {
	if len(c.Args) != 2 {
		return Usagef("want pipeVar msgVar")
	}
	v, err := c.Var(c.Args[0])
	if err != nil {
		return err
	}
	m, err := c.messageArg(c.Args[1])
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context(), defaultResolveWait)
	defer cancel()
	switch p := v.Value.(type) {
	case *pipe.OutputPipe:
		return p.Send(ctx, m)
	case *pipeConn:
		if p.closed.Load() {
			return fmt.Errorf("%s is closed", c.Args[0])
		}
		if dl, ok := ctx.Deadline(); ok {
			_ = p.conn.SetWriteDeadline(dl)
		}
		return p.mc.Send(m)
	}
	return fmt.Errorf("%s holds %s, not an output pipe or connection (mkpipe -o, listen, dial)", c.Args[0], aKind(v.Value))
}

func runRecv(c *Call) error {
	fs := c.Flags()
	wait := waitFlag(fs, 0)
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return Usagef("want one pipe variable")
	}
	v, err := c.Var(args[0])
	if err != nil {
		return err
	}
	ctx, cancel, err := c.waitContext(*wait)
	if err != nil {
		return err
	}
	defer cancel()
	var m *jxta.Message
	switch p := v.Value.(type) {
	case *pipe.InputPipe:
		r, err := p.Recv(ctx)
		if err != nil {
			return noMessage(ctx, err)
		}
		m = r.Message
	case *pipeConn:
		if p.closed.Load() {
			return fmt.Errorf("no message received: %s is closed", args[0])
		}
		stop := context.AfterFunc(ctx, func() { _ = p.conn.SetReadDeadline(time.Now()) })
		m, err = p.mc.Recv()
		stop()
		_ = p.conn.SetReadDeadline(time.Time{})
		if err != nil {
			return noMessage(ctx, err)
		}
	default:
		return fmt.Errorf("%s holds %s, not an input pipe or connection (mkpipe -i, listen, dial)", args[0], aKind(v.Value))
	}
	name := c.Result("env", "message received on "+args[0], m)
	fmt.Fprintf(c.Out, "Message received: %s (%s)\n", name, plural(m.Len(), "element"))
	return nil
}

// noMessage explains why recv got nothing.
func noMessage(ctx context.Context, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return errors.New("no message received: the wait ran out")
	case ctx.Err() != nil:
		return errors.New("no message received: interrupted")
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("no message received: the other side closed the connection (end of stream)")
	case errors.Is(err, pipe.ErrClosed):
		return errors.New("no message received: the pipe is closed")
	}
	return fmt.Errorf("no message received: %w", err)
}

func runListen(c *Call) error {
	return openConnection(c, 0, func(ctx context.Context, ps *pipe.Service, pa *advert.PipeAdv) (*pipe.Conn, error) {
		l, err := ps.Listen(ctx, pa)
		if err != nil {
			return nil, err
		}
		defer l.Close()
		conn, err := l.AcceptPipe(ctx)
		if err != nil && ctx.Err() != nil {
			return nil, fmt.Errorf("nobody dialed %s: %w", pa.Name, ctx.Err())
		}
		return conn, err
	})
}

func runDial(c *Call) error {
	return openConnection(c, defaultResolveWait, func(ctx context.Context, ps *pipe.Service, pa *advert.PipeAdv) (*pipe.Conn, error) {
		return ps.Dial(ctx, pa)
	})
}

// openConnection runs listen or dial: it reads [-t ms] pipeVar (wait
// defaulting to def), opens a connection with open in the current group,
// and stores it in a variable.
func openConnection(c *Call, def time.Duration, open func(context.Context, *pipe.Service, *advert.PipeAdv) (*pipe.Conn, error)) error {
	fs := c.Flags()
	wait := waitFlag(fs, def)
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	pa, ps, err := c.pipeOperand(args)
	if err != nil {
		return err
	}
	ctx, cancel, err := c.waitContext(*wait)
	if err != nil {
		return err
	}
	defer cancel()
	conn, err := open(ctx, ps, pa)
	if err != nil {
		return err
	}
	pc := newPipeConn(conn)
	name := c.Result("env", pc.String(), pc)
	fmt.Fprintf(c.Out, "%s = connection with %s\n", name, peerLabel(c, conn.RemoteAddr().(pipe.Addr).Peer))
	return nil
}

// closable reports whether v is an object close closes: a pipe or a
// connection.
func closable(v any) (io.Closer, bool) {
	switch val := v.(type) {
	case *pipe.InputPipe:
		return val, true
	case *pipe.OutputPipe:
		return val, true
	case *pipeConn:
		return val, true
	}
	return nil, false
}

func runClose(c *Call) error {
	if len(c.Args) == 0 {
		return Usagef("want a variable")
	}
	var closers []io.Closer
	for _, name := range c.Args {
		v, err := c.Var(name)
		if err != nil {
			return err
		}
		cl, ok := closable(v.Value)
		if !ok {
			return fmt.Errorf("%s holds %s, not a pipe or connection", name, aKind(v.Value))
		}
		closers = append(closers, cl)
	}
	var errs []error
	for i, cl := range closers {
		if err := cl.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing %s: %w", c.Args[i], err))
		}
	}
	return errors.Join(errs...)
}
