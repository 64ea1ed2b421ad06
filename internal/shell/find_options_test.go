package shell

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGetoptArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"nothing", nil, []string{}},
		{"separate options", []string{"-r", "-a", "Name", "-v", "x*"}, []string{"-r", "-a", "Name", "-v", "x*"}},
		{"clustered booleans", []string{"-rl"}, []string{"-r", "-l"}},
		{"glued values", []string{"-aName", "-vjx*"}, []string{"-a", "Name", "-v", "jx*"}},
		{"booleans then a glued value", []string{"-rlw1s"}, []string{"-r", "-l", "-w", "1s"}},
		{"booleans then a value in the next word", []string{"-rla", "Name"}, []string{"-r", "-l", "-a", "Name"}},
		{"a value that looks like an option", []string{"-v", "-x", "-r"}, []string{"-v", "-x", "-r"}},
		{"a glued value with =", []string{"-vName=x"}, []string{"-v", "Name=x"}},
		{"flag package form kept", []string{"-a=Name", "--r"}, []string{"-a=Name", "--r"}},
		{"unknown first letter kept", []string{"-xyz"}, []string{"-xyz"}},
		{"unknown letter in a cluster", []string{"-rx"}, []string{"-r", "-x"}},
		{"stops at an argument", []string{"-r", "word", "-l"}, []string{"-r", "word", "-l"}},
		{"stops at --", []string{"--", "-rl"}, []string{"--", "-rl"}},
		{"missing value left to flag", []string{"-r", "-a"}, []string{"-r", "-a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, getoptArgs(tt.in, "rlf", "pnavw"))
		})
	}
}
