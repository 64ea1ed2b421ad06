package shell

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readSecretCommand registers a command that reads a secret and prints
// its length, to see where ReadSecret reads from.
func readSecretCommand(s *Shell) {
	s.Register(&Command{Name: "secret", Synopsis: "secret", Summary: "test", Run: func(c *Call) error {
		pw, err := c.Shell.ReadSecret("pw: ")
		if err != nil {
			return err
		}
		c.Out.Write([]byte(strings.Repeat("*", len(pw)) + "\n"))
		return nil
	}})
}

func TestReadSecretFromTheScript(t *testing.T) {
	var out, errw bytes.Buffer
	s := New(&out, &errw)
	readSecretCommand(s)
	status := s.RunScript(strings.NewReader("secret\nhunter2\nsecret\n"))
	assert.Equal(t, "*******\n", out.String(), "the line after the command is the secret, not a command")
	assert.NotZero(t, status, "the second secret has no line to read")
	assert.Contains(t, errw.String(), ErrNoInput.Error())
}

func TestReadSecretFromTerminalOrInput(t *testing.T) {
	var out, errw bytes.Buffer
	s := New(&out, &errw)
	readSecretCommand(s)
	s.In = strings.NewReader("from-stdin\n")
	require.True(t, s.Exec("secret"))
	assert.Equal(t, "**********\n", out.String())

	out.Reset()
	var prompted string
	s.ReadPassword = func(prompt string) (string, error) { prompted = prompt; return "tty", nil }
	require.True(t, s.Exec("secret"))
	assert.Equal(t, "***\n", out.String())
	assert.Equal(t, "pw: ", prompted)
}
