package jxsepeer

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// listenerSource is gojxta's own JXSE test peer, JxseListener.java.
//
//go:embed JxseListener.java
var listenerSource []byte

// listenerClasses compiles JxseListener.java (with jxse-peer's shim, which
// lets the 2010 jar start on Java 17) once per version of the source into
// a folder of CacheDir, and returns that folder. Concurrent test
// processes each compile into a temporary folder and rename it into
// place: the first wins, the others use it.
func listenerClasses(tb testing.TB) string {
	tb.Helper()
	sum := sha256.Sum256(listenerSource)
	dir := filepath.Join(CacheDir(), "gojxta-listener-"+hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(filepath.Join(dir, "JxseListener.class")); err == nil {
		return dir
	}
	if err := os.MkdirAll(CacheDir(), 0o755); err != nil {
		tb.Fatal(err)
	}
	tmp, err := os.MkdirTemp(CacheDir(), "gojxta-listener-build-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "JxseListener.java")
	if err := os.WriteFile(src, listenerSource, 0o644); err != nil {
		tb.Fatal(err)
	}
	shared := filepath.Dir(availability.script)
	lib := filepath.Join(shared, "lib")
	for _, args := range [][]string{
		{"-nowarn", "-d", tmp, "-cp", filepath.Join(lib, "jxse-2.6.jar"), filepath.Join(shared, "shim", "CompatibilityUtils.java")},
		{"-nowarn", "-d", tmp, "-cp", tmp + string(os.PathListSeparator) + filepath.Join(lib, "*"), src},
	} {
		if out, err := exec.Command("javac", args...).CombinedOutput(); err != nil {
			tb.Fatalf("jxsepeer: javac %v: %v\n%s", args, err, out)
		}
	}
	os.Remove(src)
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "JxseListener.class")); statErr != nil {
			tb.Fatalf("jxsepeer: placing the compiled listener: %v", err)
		}
	}
	return dir
}
