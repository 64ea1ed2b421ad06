// Package ptytest lets tests use a program as a person at a terminal does:
// it runs the program on a pseudo-terminal (github.com/creack/pty), types
// keys into it, and reads back what the screen shows. It answers the
// cursor position queries line editors send, as a terminal would. Only
// tests import it; it works on Unix.
package ptytest
