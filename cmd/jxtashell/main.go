package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gojxta/gojxta/internal/shell"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/endpoint/mcast"
	"github.com/gojxta/gojxta/jxta/node"
	"golang.org/x/term"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

const usage = `usage: jxtashell [flags] [-e "cmd; cmd" | -f script]

Starts a JXTA peer and reads commands at the JXTA> prompt, from -e, from a
script, or from standard input when it is not a terminal. The peer starts
at once in an interactive session or when --home, --name, --listen,
--seed or --metrics is given; otherwise on the first command that needs
it. The file .jshrc in the home directory runs first, unless -x is given.
With --metrics the peer serves its Prometheus metrics over HTTP at
/metrics (stats prints the same figures).

At the prompt: up and down recall lines, Ctrl-R searches them, Tab
completes commands, options, variables and file names, Ctrl-C discards the
line or interrupts the running command, Ctrl-D leaves. history lists the
lines, kept in the home directory; !n runs line n again.

Flags:`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("jxtashell", flag.ContinueOnError)
	fs.SetOutput(stderr)
	exec := fs.String("e", "", "run these commands (separated by ;) and exit")
	script := fs.String("f", "", "run the commands in this script file and exit")
	home := fs.String("home", "", "peer home directory: ID, name, cache, history, .jshrc (default $JXTA_HOME, else ~/.jxta)")
	name := fs.String("name", "", "peer name (default: the name kept in the home directory)")
	verbose := fs.Bool("v", false, "log connection events to standard error")
	rdv := fs.Bool("rdv", false, "this peer is a rendezvous: it serves edges and relays group queries")
	noMulticast := fs.Bool("no-multicast", false, "do not discover peers on the LAN by IP multicast")
	multicastIf := fs.String("multicast-if", "", "discover LAN peers by IP multicast on this network interface: a name (lo, eth0) or one of its addresses (default: the system's choice)")
	legacy := fs.Bool("legacy", false, "also talk to JXSE and JXTA-C peers (JXTA 1.1 framing): in the clear, their IDs unverified")
	metricsAddr := fs.String("metrics", "", "serve Prometheus metrics over HTTP at `host:port`/metrics, e.g. 127.0.0.1:9100 (port 0: any free port)")
	skipStartup := fs.Bool("x", false, "do not run the startup file .jshrc of the home directory")
	keepGoing := fs.Bool("k", false, "scripts (-e, -f, standard input) go on after a failing command (set -k)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	keepAlive := fs.Duration("keepalive", endpoint.DefaultKeepAlive, "ping a connection after it is silent this long")
	keepAliveTimeout := fs.Duration("keepalive-timeout", endpoint.DefaultKeepAliveTimeout, "drop a connection whose peer answers no ping, or takes no data, for this long (a hung peer)")
	maxPending := fs.Int("max-pending", endpoint.DefaultMaxPendingBytes>>20, "MiB of partly received messages held for all connections together")
	perSource := fs.Int("handshakes-per-source", endpoint.DefaultMaxPerSource, "connections in their handshake at once from one IP address")
	var listen, seeds listFlag
	fs.Var(&listen, "listen", "listen on this address, e.g. tcp://127.0.0.1:9701 (repeatable; default "+node.DefaultListen+")")
	fs.Var(&seeds, "seed", "stay connected to the peer at this address (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "jxtashell: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *exec != "" && *script != "" {
		fmt.Fprintln(stderr, "jxtashell: -e and -f cannot be used together")
		fs.Usage()
		return 2
	}
	peerFlags := false
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "home", "name", "listen", "seed", "rdv", "no-multicast", "multicast-if", "metrics", "legacy":
			peerFlags = true
		}
	})

	if *keepAlive <= 0 || *keepAliveTimeout <= 0 || *maxPending <= 0 || *perSource <= 0 {
		fmt.Fprintln(stderr, "jxtashell: --keepalive, --keepalive-timeout, --max-pending and --handshakes-per-source must be positive")
		fs.Usage()
		return 2
	}
	for _, seed := range seeds {
		if _, err := node.ParseSeed(seed); err != nil {
			fmt.Fprintf(stderr, "jxtashell: --seed: %v\n", err)
			fs.Usage()
			return 2
		}
	}
	if *multicastIf != "" {
		if _, err := mcast.InterfaceFor(*multicastIf); err != nil {
			fmt.Fprintf(stderr, "jxtashell: --multicast-if: %v\n", err)
			fs.Usage()
			return 2
		}
	}
	cfg := node.Config{Name: *name, Home: *home, Seeds: seeds, Rendezvous: *rdv, Multicast: !*noMulticast, MulticastInterface: *multicastIf, Metrics: *metricsAddr, Legacy: *legacy,
		Endpoint: endpoint.Config{KeepAliveInterval: *keepAlive, KeepAliveTimeout: *keepAliveTimeout,
			MaxPendingBytes: int64(*maxPending) << 20, MaxHandshakesPerSource: *perSource}}
	if len(listen) > 0 {
		cfg.Listen = listen
	}
	if cfg.Home == "" {
		cfg.Home = defaultHome()
	}
	level := slog.LevelError
	if *verbose {
		level = slog.LevelInfo
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	sh := shell.New(stdout, stderr)
	defer sh.Close()
	if *showVersion {
		sh.Exec("version")
		return sh.Status()
	}
	sh.KeepGoing = *keepGoing
	tty := terminalFile(stdin)
	interactive := *exec == "" && *script == "" && tty != nil
	cfg.OnEvent = func(ev node.Event) { tellEvent(sh, ev, interactive) }
	sh.SetPeerStarter(func() (*node.Node, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		n, err := node.Start(ctx, cfg)
		if err == nil && n.MetricsAddr() != nil {
			fmt.Fprintf(stderr, "jxtashell: serving metrics at http://%s/metrics\n", n.MetricsAddr())
		}
		return n, err
	})
	switch {
	case tty != nil:
		sh.ReadPassword = terminalPassword(tty, stderr)
	case *exec != "" || *script != "":
		sh.In = stdin // piped commands read their passwords from the pipe itself
	}
	if peerFlags || interactive {
		n, err := sh.StartPeer()
		if err != nil {
			fmt.Fprintf(stderr, "jxtashell: starting the peer: %v\n", err)
			return 1
		}
		if interactive {
			fmt.Fprintln(stdout, greeting(n, cfg.Listen))
		}
	}
	if interactive {
		defer interruptOnSignal(sh)()
	}
	if !*skipStartup {
		runStartup(sh, filepath.Join(cfg.Home, startupFile), stderr)
		if sh.Exited() {
			return sh.Status()
		}
	}
	switch {
	case *exec != "":
		return sh.RunScript(strings.NewReader(*exec))
	case *script != "":
		f, err := os.Open(*script)
		if err != nil {
			fmt.Fprintf(stderr, "jxtashell: %v\n", err)
			return 1
		}
		defer f.Close()
		return sh.RunScript(f)
	case !interactive:
		return sh.RunScript(stdin)
	}
	return runInteractive(sh, tty, stdout, stderr, cfg.Home)
}

// defaultHome is $JXTA_HOME, else ~/.jxta.
func defaultHome() string {
	if h := os.Getenv("JXTA_HOME"); h != "" {
		return h
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".jxta")
	}
	return ".jxta"
}

// terminalFile returns r if it is a terminal, else nil.
func terminalFile(r io.Reader) *os.File {
	if f, ok := r.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return nil
}

// terminalPassword reads a password from the terminal f without echo,
// prompting on w.
func terminalPassword(f *os.File, w io.Writer) func(prompt string) (string, error) {
	return func(prompt string) (string, error) {
		fmt.Fprint(w, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(w)
		return string(b), err
	}
}
