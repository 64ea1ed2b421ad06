package netbed

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Prefix is the network the hosts are addressed in: host N (from 1, in
// the order of AddHost) is 10.77.0.N. Every bed has a switch of its own,
// so beds that run at once use the same addresses without meeting.
var Prefix = netip.MustParsePrefix("10.77.0.0/24")

// MaxHosts is how many hosts a bed holds.
const MaxHosts = 250

// Bridge names in the switch namespace: every link starts on bridgeMain;
// Partition moves links to bridgeSplit.
const (
	bridgeMain  = "br0"
	bridgeSplit = "br1"
	hostLink    = "eth0" // a host's end of its link, in its namespace
)

// A Bed is a switch namespace with a bridge, and the hosts joined to it.
// Its methods fail the test on error; they are safe for one goroutine at
// a time (the test's).
type Bed struct {
	t      testing.TB
	tag    string // "gj-<pid>-<random>-": every namespace's name starts with it
	sw     string // the switch namespace
	hosts  []*Host
	nsList []string // every namespace made, the switch first
	split  bool     // bridgeSplit exists
}

// A Host is a namespace joined to the bed's switch by a veth pair, whose
// end in the host (eth0) has the address IP.
type Host struct {
	Name string     // as given to AddHost
	NS   string     // the namespace, for ip netns exec
	IP   netip.Addr // its address in Prefix
	bed  *Bed
	port string // the switch end of its link
}

var availability struct {
	once sync.Once
	err  error
}

// Available reports whether beds can be built here: Linux, root, and an ip
// command that can add a network namespace and a veth pair in it. The
// error says what is missing. It probes once per process.
func Available() error {
	availability.once.Do(func() { availability.err = probe() })
	return availability.err
}

func probe() error {
	if runtime.GOOS != "linux" {
		return fmt.Errorf("network namespaces are Linux's, this is %s", runtime.GOOS)
	}
	if os.Geteuid() != 0 {
		return errors.New("building network namespaces needs root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return fmt.Errorf("needs the ip command of iproute2: %w", err)
	}
	ns := newTag() + "probe"
	if err := ip("netns", "add", ns); err != nil {
		return fmt.Errorf("network namespaces are not available: %w", err)
	}
	defer ip("netns", "del", ns)
	if err := ip("-n", ns, "link", "add", "name", "a", "type", "veth", "peer", "name", "b"); err != nil {
		return fmt.Errorf("veth links are not available: %w", err)
	}
	return nil
}

// New builds an empty bed: the switch namespace and its bridge. It skips
// the test when Available says beds cannot be built here, and registers a
// Cleanup that removes everything the bed made. Cleanups run last first,
// so processes whose own cleanups were registered after New are stopped
// before that.
func New(t testing.TB) *Bed {
	t.Helper()
	if err := Available(); err != nil {
		t.Skipf("netbed: %v (the network test bed needs root and Linux network namespaces)", err)
	}
	sweep(t)
	b := &Bed{t: t, tag: newTag()}
	t.Cleanup(b.remove)
	b.sw = b.addNS("sw")
	b.ip("-n", b.sw, "link", "add", "name", bridgeMain, "type", "bridge")
	b.ip("-n", b.sw, "link", "set", bridgeMain, "up")
	return b
}

var hostName = regexp.MustCompile(`^[a-z0-9]{1,16}$`)

// AddHost makes a host named name (lower-case letters and digits), joined
// to the switch, with lo and its link up and the next address of Prefix.
func (b *Bed) AddHost(name string) *Host {
	b.t.Helper()
	if !hostName.MatchString(name) || name == "sw" || name == "probe" {
		b.t.Fatalf("netbed: bad host name %q: want 1 to 16 lower-case letters and digits, not sw or probe", name)
	}
	for _, h := range b.hosts {
		if h.Name == name {
			b.t.Fatalf("netbed: host %q twice", name)
		}
	}
	n := len(b.hosts) + 1
	if n > MaxHosts {
		b.t.Fatalf("netbed: more than %d hosts", MaxHosts)
	}
	a := Prefix.Addr().As4()
	a[3] = byte(n)
	h := &Host{Name: name, IP: netip.AddrFrom4(a), bed: b, port: "p" + strconv.Itoa(n)}
	h.NS = b.addNS(name)
	// The pair is made in the switch namespace and its far end moved
	// straight into the host's: neither end is ever in the root namespace.
	b.ip("-n", b.sw, "link", "add", "name", h.port, "type", "veth", "peer", "name", hostLink, "netns", h.NS)
	b.ip("-n", b.sw, "link", "set", h.port, "master", bridgeMain, "up")
	b.ip("-n", h.NS, "addr", "add", fmt.Sprintf("%s/%d", h.IP, Prefix.Bits()), "dev", hostLink)
	b.ip("-n", h.NS, "link", "set", "lo", "up")
	b.ip("-n", h.NS, "link", "set", hostLink, "up")
	b.hosts = append(b.hosts, h)
	return h
}

// Command returns a command that runs name with args inside h's
// namespace. ip netns exec execs name in its own process, so the
// command's process is name's.
func (h *Host) Command(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", h.NS, name}, args...)...)
}

// LinkDown takes h's link down at the switch: h keeps its address, and
// nothing it sends or is sent gets through, until LinkUp.
func (h *Host) LinkDown() {
	h.bed.t.Helper()
	h.bed.ip("-n", h.bed.sw, "link", "set", h.port, "down")
}

// LinkUp brings h's link back up at the switch.
func (h *Host) LinkUp() {
	h.bed.t.Helper()
	h.bed.ip("-n", h.bed.sw, "link", "set", h.port, "up")
}

// Partition splits the network in two: the links of hosts move to a
// second bridge, so that they reach each other and no longer the rest.
// Links stay up: peers across the split see silence, not a lost link.
func (b *Bed) Partition(hosts ...*Host) {
	b.t.Helper()
	if !b.split {
		b.ip("-n", b.sw, "link", "add", "name", bridgeSplit, "type", "bridge")
		b.ip("-n", b.sw, "link", "set", bridgeSplit, "up")
		b.split = true
	}
	for _, h := range hosts {
		b.ip("-n", b.sw, "link", "set", h.port, "master", bridgeSplit)
	}
}

// Heal joins every host's link to the main bridge again.
func (b *Bed) Heal() {
	b.t.Helper()
	for _, h := range b.hosts {
		b.ip("-n", b.sw, "link", "set", h.port, "master", bridgeMain)
	}
}

// addNS makes the namespace tag+name and records it for removal.
func (b *Bed) addNS(name string) string {
	b.t.Helper()
	ns := b.tag + name
	b.ip("netns", "add", ns)
	b.nsList = append(b.nsList, ns)
	return ns
}

func (b *Bed) ip(args ...string) {
	b.t.Helper()
	if err := ip(args...); err != nil {
		b.t.Fatalf("netbed: %v", err)
	}
}

// remove kills what still runs in the bed's namespaces and deletes them,
// hosts first: with a host's namespace goes its veth pair.
func (b *Bed) remove() {
	for i := len(b.nsList) - 1; i >= 0; i-- {
		if err := removeNS(b.nsList[i]); err != nil {
			b.t.Errorf("netbed: %v", err)
		}
	}
}

func removeNS(ns string) error {
	out, err := exec.Command("ip", "netns", "pids", ns).Output()
	if err == nil {
		for _, f := range strings.Fields(string(out)) {
			if pid, err := strconv.Atoi(f); err == nil {
				if p, err := os.FindProcess(pid); err == nil {
					p.Kill()
				}
			}
		}
	}
	return ip("netns", "del", ns)
}

// leftover matches the namespaces of any bed; its group is the pid of the
// process that made it, in base 36.
var leftover = regexp.MustCompile(`^gj-([0-9a-z]+)-[0-9a-z]{4}-[a-z0-9]+$`)

// sweep removes the namespaces of beds whose process is gone: a run that
// crashed, or was killed, before its cleanups ran.
func sweep(t testing.TB) {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		m := leftover.FindStringSubmatch(f[0])
		if m == nil {
			continue
		}
		pid, err := strconv.ParseInt(m[1], 36, 64)
		if err != nil || pid == int64(os.Getpid()) {
			continue
		}
		if _, err := os.Stat("/proc/" + strconv.FormatInt(pid, 10)); err == nil {
			continue // its run is still going
		}
		if err := removeNS(f[0]); err != nil {
			t.Logf("netbed: leftover namespace %s: %v", f[0], err)
			continue
		}
		t.Logf("netbed: removed namespace %s, left over by process %d", f[0], pid)
	}
}

// newTag returns "gj-<pid>-<random>-", the pid in base 36.
func newTag() string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	r := make([]byte, 4)
	for i := range r {
		r[i] = digits[rand.IntN(len(digits))]
	}
	return "gj-" + strconv.FormatInt(int64(os.Getpid()), 36) + "-" + string(r) + "-"
}

// ip runs the ip command; its error holds what ip printed.
func ip(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}
