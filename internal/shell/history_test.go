package shell

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHistoryAdd(t *testing.T) {
	t.Parallel()
	h := NewHistory()
	for _, line := range []string{"env", "env", "", "  ", "man", "a\nb", "env", strings.Repeat("x", maxHistoryLine+1)} {
		_, err := h.Add(line)
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"env", "man", "env"}, h.Entries(),
		"no blank, multi-line or overlong line, nor the last line again")

	for i := range HistoryLimit + 10 {
		added, err := h.Add(fmt.Sprint("line ", i))
		require.NoError(t, err)
		require.True(t, added)
	}
	require.Len(t, h.Entries(), HistoryLimit)
	assert.Equal(t, "line 10", h.Entries()[0], "the oldest lines go")
	assert.Equal(t, fmt.Sprint("line ", HistoryLimit+9), h.Entries()[HistoryLimit-1])
}

func TestHistoryFile(t *testing.T) {
	t.Parallel()

	t.Run("lines are appended and read back", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "history")
		h, err := OpenHistory(path)
		require.NoError(t, err)
		assert.Empty(t, h.Entries(), "no file yet")
		_, err = os.Stat(path)
		require.True(t, os.IsNotExist(err), "opening does not create the file")
		for _, l := range []string{"env", "man cat", "man cat", "whoami"} {
			_, err := h.Add(l)
			require.NoError(t, err)
		}
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "env\nman cat\nwhoami\n", string(data))
		st, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "only the user reads what they typed")

		again, err := OpenHistory(path)
		require.NoError(t, err)
		assert.Equal(t, []string{"env", "man cat", "whoami"}, again.Entries())
	})

	t.Run("reading skips blank and overlong lines", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "history")
		long := strings.Repeat("y", 3*maxHistoryLine)
		require.NoError(t, os.WriteFile(path, []byte("env\r\n\n   \n"+long+"\nman\nlast"), 0o600))
		h, err := OpenHistory(path)
		require.NoError(t, err)
		assert.Equal(t, []string{"env", "man", "last"}, h.Entries())
	})

	t.Run("a long file is cut to the limit", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "history")
		var b strings.Builder
		for i := range HistoryLimit + 500 {
			fmt.Fprintf(&b, "line %d\n", i)
		}
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
		h, err := OpenHistory(path)
		require.NoError(t, err)
		require.Len(t, h.Entries(), HistoryLimit)
		assert.Equal(t, "line 500", h.Entries()[0])
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, HistoryLimit, strings.Count(string(data), "\n"))
		assert.True(t, strings.HasPrefix(string(data), "line 500\n"))
	})

	t.Run("a session does not grow the file past twice the limit", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "history")
		h, err := OpenHistory(path)
		require.NoError(t, err)
		for i := range 3 * HistoryLimit {
			_, err := h.Add(fmt.Sprint("line ", i))
			require.NoError(t, err)
		}
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.LessOrEqual(t, strings.Count(string(data), "\n"), 2*HistoryLimit)
		assert.True(t, strings.HasSuffix(string(data), fmt.Sprintf("line %d\n", 3*HistoryLimit-1)))
		again, err := OpenHistory(path)
		require.NoError(t, err)
		assert.Equal(t, h.Entries(), again.Entries())
	})

	t.Run("an unreadable history is an error", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		_, err := OpenHistory(dir) // a directory
		assert.Error(t, err)
	})
}

func TestExpandHistory(t *testing.T) {
	t.Parallel()
	entries := []string{"man cat", "importfile a.xml", "cat -p env0", "whoami"}
	tests := []struct {
		line, want string
		expanded   bool
		err        string
	}{
		{line: "env", want: "env"},
		{line: "", want: ""},
		{line: "!", want: "!"},
		{line: "! x", want: "! x"},
		{line: "!=x", want: "!=x"},
		{line: "grep !x", want: "grep !x", expanded: false},
		{line: "!!", want: "whoami", expanded: true},
		{line: "!! | grep x", want: "whoami | grep x", expanded: true},
		{line: "  !1", want: "man cat", expanded: true},
		{line: "!3 ; env", want: "cat -p env0 ; env", expanded: true},
		{line: "!-1", want: "whoami", expanded: true},
		{line: "!-4", want: "man cat", expanded: true},
		{line: "!cat", want: "cat -p env0", expanded: true},
		{line: "!imp x", want: "importfile a.xml x", expanded: true},
		{line: "!0", want: "!0", expanded: true, err: "!0: event not found"},
		{line: "!5", want: "!5", expanded: true, err: "!5: event not found"},
		{line: "!-5", want: "!-5", expanded: true, err: "!-5: event not found"},
		{line: "!zz", want: "!zz", expanded: true, err: "!zz: event not found"},
		{line: "!99999999999999999999", want: "!99999999999999999999", expanded: true, err: "event not found"},
	}
	for _, tt := range tests {
		got, expanded, err := expandHistory(tt.line, entries)
		assert.Equal(t, tt.want, got, tt.line)
		assert.Equal(t, tt.expanded, expanded, tt.line)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err, tt.line)
		} else {
			assert.NoError(t, err, tt.line)
		}
	}
	_, _, err := expandHistory("!!", nil)
	assert.ErrorContains(t, err, "!!: event not found", "an empty history")
}

func FuzzExpandHistory(f *testing.F) {
	for _, s := range []string{"!!", "!1 | x", "!-2", "!man", "! x", "env", "!\x00", "!-", "!!!"} {
		f.Add(s)
	}
	entries := []string{"man cat", "env", "whoami"}
	f.Fuzz(func(t *testing.T, line string) {
		got, expanded, err := expandHistory(line, entries)
		if !expanded || err != nil {
			assert.Equal(t, line, got, "a line that is not expanded is kept")
			return
		}
		body := strings.TrimLeft(line, " \t")
		found := false
		for _, e := range entries {
			rest, ok := strings.CutPrefix(got, e)
			found = found || ok && strings.HasSuffix(body, rest) && len(rest) < len(body)
		}
		assert.True(t, found, "an expanded line is an entry and the rest of the line: %q -> %q", line, got)
	})
}
