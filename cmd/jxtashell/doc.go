// Command jxtashell is the interactive shell of gojxta. It starts a JXTA
// peer and reads JXSE-style commands at the JXTA> prompt, from -e, from a
// script (-f) or from standard input when that is not a terminal.
//
// Usage:
//
//	jxtashell [--home DIR] [--name NAME] [--listen ADDR]... [--seed ADDR]... [-e "cmd; cmd" | -f script]
//
// The peer keeps its ID and name in the home directory ($JXTA_HOME, else
// ~/.jxta). The exit status is non-zero when a command failed.
package main
