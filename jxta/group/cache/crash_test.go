package cache

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crashChildEnv names the cache file a re-executed test binary publishes
// into until it is killed.
const crashChildEnv = "GOJXTA_CACHE_CRASH_CHILD"

// crashGroup is the group the child publishes in.
var crashGroup = jxta.NewGroupIDFromSeed([]byte("cache crash test"))

// TestCrashSafety runs a child process that publishes advertisements and
// prints "acked <i> <key>" after each Publish returns, kills it with
// SIGKILL in the middle of the run, and checks that every acknowledged
// advertisement is in the cache when it is opened again.
func TestCrashSafety(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cm.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSafety$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	killed := false
	defer func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()

	// Kill after a varying number of acknowledgements, so that the kill
	// lands at different points of a journal write or of a flush into the
	// B+tree (every flushBatch publications) from run to run.
	killAfter := 100 + rand.IntN(4*flushBatch)
	acked := map[int]string{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "acked" {
			continue // test framework output
		}
		i, err := strconv.Atoi(f[1])
		require.NoError(t, err)
		acked[i] = f[2]
		if len(acked) == killAfter && !killed {
			require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
			killed = true
		}
	}
	// Lines written before the kill are still read: they were acked too.
	err = cmd.Wait()
	require.True(t, killed, "the child stopped before it was killed: %v", err)
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, "signal: killed", exit.Error())
	require.GreaterOrEqual(t, len(acked), killAfter)

	c, err := Open(path, Options{CollectInterval: -1})
	require.NoError(t, err, "the file opens after a crash")
	defer c.Close()
	for i, key := range acked {
		e, ok, err := c.Get(crashGroup, key)
		require.NoError(t, err)
		if assert.True(t, ok, "acked advertisement %d (%s) lost", i, key) {
			a, err := e.Advertisement()
			require.NoError(t, err)
			require.IsType(t, &advert.PipeAdv{}, a)
			assert.Equal(t, fmt.Sprintf("crash-%d", i), a.(*advert.PipeAdv).Name)
		}
	}
	assert.GreaterOrEqual(t, c.Len(crashGroup), len(acked))
	t.Logf("%d acknowledged advertisements survived SIGKILL; %d stored", len(acked), c.Len(crashGroup))
}

// crashChild publishes until it is killed, printing an acknowledgement
// after each Publish returns. It never returns normally within the test's
// deadline.
func crashChild(path string) {
	c, err := Open(path, Options{CollectInterval: -1})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	deadline := time.Now().Add(time.Minute)
	for i := 0; time.Now().Before(deadline); i++ {
		p := pipe(crashGroup, fmt.Sprintf("crash-%d", i))
		if err := c.Publish(crashGroup, p, life, exp); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		fmt.Fprintf(os.Stdout, "acked %d %s\n", i, Key(p))
	}
	os.Exit(3)
}
