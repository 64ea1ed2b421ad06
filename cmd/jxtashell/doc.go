// Command jxtashell is the interactive shell of gojxta: it reads JXSE-style
// commands at the JXTA> prompt, from -e, from a script (-f) or from
// standard input when that is not a terminal.
//
// Usage:
//
//	jxtashell [-e "cmd; cmd"] [-f script]
//
// The exit status is non-zero when a command failed.
package main
