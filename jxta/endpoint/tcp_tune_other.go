//go:build !linux && !darwin

package endpoint

// setNotSentLowat does nothing where TCP_NOTSENT_LOWAT is not available.
func setNotSentLowat(fd uintptr, n int) {}
