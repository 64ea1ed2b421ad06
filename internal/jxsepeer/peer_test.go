package jxsepeer

import (
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOptionsArgs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		o    Options
		want []string
	}{
		{"defaults", Options{Port: 9801}, []string{"-Dhome=/h", "-Dport=9801"}},
		{"edge", Options{Mode: Edge, Name: "e1", Host: "127.0.0.1", Port: 9862,
			Seeds: []string{"tcp://127.0.0.1:9861", "tcp://127.0.0.1:9863"}, Find: "pipe-r1", Send: "hello",
			Timeout: 40 * time.Second, Stay: 1500 * time.Millisecond, Log: "FINE"},
			[]string{"-Dhome=/h", "-Dport=9862", "-Dmode=EDGE", "-Dname=e1", "-Dhost=127.0.0.1",
				"-Dseed=tcp://127.0.0.1:9861,tcp://127.0.0.1:9863", "-Dfind=pipe-r1", "-Dsend=hello",
				"-Dtimeout=40000", "-Dstay=1500", "-Dlog=FINE"}},
		{"multicast propagate", Options{Mode: AdHoc, Port: 1, Mcast: true, McastIf: "10.0.0.1",
			Publish: "p", PipeType: "JxtaPropagate", Element: "el", Expect: "el=x"},
			[]string{"-Dhome=/h", "-Dport=1", "-Dmode=ADHOC", "-Dmcast=true", "-DmcastIf=10.0.0.1",
				"-Dpublish=p", "-DpipeType=JxtaPropagate", "-Delement=el", "-Dexpect=el=x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.o.args("/h"))
		})
	}
}

func TestLinesSplitsAcrossWrites(t *testing.T) {
	t.Parallel()
	l := newLines()
	_, more := l.since(0)
	_, _ = l.Write([]byte("STARTED urn:jxta:uuid-1 "))
	got, _ := l.since(0)
	assert.Empty(t, got, "no complete line yet")
	_, _ = l.Write([]byte("a\r\nDONE\npart"))
	select {
	case <-more:
	default:
		t.Fatal("completed lines did not wake waiters")
	}
	got, _ = l.since(0)
	assert.Equal(t, []string{"STARTED urn:jxta:uuid-1 a", "DONE"}, got)
	got, _ = l.since(1)
	assert.Equal(t, []string{"DONE"}, got)
	assert.Equal(t, "STARTED urn:jxta:uuid-1 a\r\nDONE\npart", l.String())
}

// TestPeerWithNothingToDo starts a peer with no task: it prints STARTED
// with its ID and name, then DONE, and exits 0.
func TestPeerWithNothingToDo(t *testing.T) {
	t.Parallel()
	p := Start(t, Options{Mode: AdHoc, Name: "idle"})
	id := p.ID()
	assert.False(t, id.IsNull())
	m, err := p.WaitLine(`^STARTED (\S+) (\S+)$`, time.Second)
	require.NoError(t, err)
	assert.Equal(t, id.String(), m[1])
	assert.Equal(t, "idle", m[2])
	t.Logf("STARTED after %v", time.Since(p.started).Round(time.Millisecond))
	code, err := p.Wait(30 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, 0, code)
	_, err = p.WaitLine(`^DONE$`, 0)
	assert.NoError(t, err)
	_, err = p.WaitLine(`^FOUND`, time.Minute)
	assert.ErrorContains(t, err, "exited (0) without a line matching", "an exited peer prints nothing more")
}

// TestCleanupKillsThePeer checks that a test's end kills a peer that
// would stay up.
func TestCleanupKillsThePeer(t *testing.T) {
	t.Parallel()
	SkipIfUnavailable(t)
	var pid int
	t.Run("peer", func(t *testing.T) {
		p := Start(t, Options{Mode: AdHoc, Name: "stayer", Stay: 10 * time.Minute})
		p.ID()
		pid = p.cmd.Process.Pid
	})
	require.NotZero(t, pid)
	assert.ErrorIs(t, syscall.Kill(-pid, 0), syscall.ESRCH, "the peer's process group is gone")
	assert.True(t, errors.Is(syscall.Kill(pid, 0), syscall.ESRCH), "the peer is gone")
}
