package netbed

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helperEnv makes the test binary a small TCP program instead (TestMain):
// "serve ADDR" answers every connection with one line, "dial ADDR" prints
// that line, or fails within a second.
const helperEnv = "NETBED_TEST_HELPER"

func TestMain(m *testing.M) {
	if h := os.Getenv(helperEnv); h != "" {
		if err := helper(strings.Fields(h)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func helper(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("helper: %q", args)
	}
	switch args[0] {
	case "serve":
		l, err := net.Listen("tcp", args[1])
		if err != nil {
			return err
		}
		fmt.Println("listening")
		for {
			c, err := l.Accept()
			if err != nil {
				return err
			}
			fmt.Fprintf(c, "hello from %s\n", args[1])
			c.Close()
		}
	case "dial":
		c, err := net.DialTimeout("tcp", args[1], time.Second)
		if err != nil {
			return err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		fmt.Print(line)
		return err
	}
	return fmt.Errorf("helper: %q", args)
}

// serve runs the helper's server in h on port 7000 until the test ends.
func serve(t *testing.T, h *Host) string {
	addr := h.IP.String() + ":7000"
	cmd := h.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=serve "+addr)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "listening\n", line)
	go io.Copy(io.Discard, out)
	return addr
}

// dial reports whether h reaches the helper's server at addr.
func dial(h *Host, addr string) bool {
	cmd := h.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=dial "+addr)
	out, err := cmd.Output()
	return err == nil && string(out) == "hello from "+addr+"\n"
}

// reaches waits up to 5 s for h to reach addr: a link just brought up, or
// moved to another bridge, takes a moment to pass frames.
func reaches(h *Host, addr string) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if dial(h, addr) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// TestBed builds three hosts and checks what passes between them: all
// reach each other; a host whose link is down is reached by none until it
// is up; a partition cuts one side from the other, and healing joins them.
func TestBed(t *testing.T) {
	b := New(t)
	a, c, d := b.AddHost("a"), b.AddHost("c"), b.AddHost("d")
	assert.Equal(t, "10.77.0.1", a.IP.String())
	assert.Equal(t, "10.77.0.3", d.IP.String())
	toA, toD := serve(t, a), serve(t, d)

	require.True(t, reaches(c, toA), "c reaches a")
	require.True(t, reaches(c, toD), "c reaches d")

	a.LinkDown()
	assert.False(t, dial(c, toA), "c reaches a, whose link is down")
	assert.True(t, dial(c, toD), "c reaches d while a's link is down")
	a.LinkUp()
	assert.True(t, reaches(c, toA), "c reaches a once its link is up")

	b.Partition(d)
	assert.False(t, dial(c, toD), "c reaches d across the partition")
	assert.True(t, dial(c, toA), "c reaches a on its side of the partition")
	b.Heal()
	assert.True(t, reaches(c, toD), "c reaches d once healed")
}

// TestBedLeavesNothing: a bed adds nothing to the root namespace while it
// runs (no link of the names it uses, no address or route of Prefix), and
// leaves no namespace behind. Only what a bed could add is compared, so
// that other programs changing the root namespace meanwhile do not matter.
func TestBedLeavesNothing(t *testing.T) {
	if err := Available(); err != nil {
		t.Skipf("netbed: %v", err)
	}
	ours := map[string]bool{bridgeMain: true, bridgeSplit: true, hostLink: true, "p1": true, "p2": true, "p3": true}
	root := func() string {
		var s strings.Builder
		for _, args := range [][]string{{"-br", "link"}, {"-br", "addr"}, {"route"}} {
			out, err := exec.Command("ip", args...).Output()
			require.NoError(t, err)
			for _, line := range strings.Split(string(out), "\n") {
				f := strings.Fields(line)
				if len(f) > 0 && (ours[strings.Split(f[0], "@")[0]] || strings.Contains(line, "10.77.")) {
					s.WriteString(line + "\n")
				}
			}
		}
		return s.String()
	}
	before := root()
	var tag string
	t.Run("bed", func(t *testing.T) {
		b := New(t)
		tag = b.tag
		b.AddHost("a")
		b.AddHost("b").LinkDown()
		b.Partition(b.AddHost("c"))
		assert.Equal(t, before, root(), "the root namespace, with the bed up")
	})
	assert.Equal(t, before, root(), "the root namespace, after the bed")
	out, err := exec.Command("ip", "netns", "list").Output()
	require.NoError(t, err)
	assert.NotContains(t, string(out), tag)
}

// TestSweep: a namespace left by a bed whose process is gone is removed
// by the next New; one of a live process is not.
func TestSweep(t *testing.T) {
	if err := Available(); err != nil {
		t.Skipf("netbed: %v", err)
	}
	gone := exec.Command("true")
	require.NoError(t, gone.Run())
	random := strings.Split(newTag(), "-")[2] // so that runs at once do not collide
	dead := "gj-" + strconv.FormatInt(int64(gone.Process.Pid), 36) + "-" + random + "-a"
	live := "gj-" + strconv.FormatInt(1, 36) + "-" + random + "-a" // pid 1 always runs
	for _, ns := range []string{dead, live} {
		require.NoError(t, ip("netns", "add", ns))
		t.Cleanup(func() { removeNS(ns) })
	}
	New(t)
	out, err := exec.Command("ip", "netns", "list").Output()
	require.NoError(t, err)
	assert.NotContains(t, string(out), dead)
	assert.Contains(t, string(out), live)
}
