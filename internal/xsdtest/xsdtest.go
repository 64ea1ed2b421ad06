// Package xsdtest validates documents against the published schema,
// spec/jxta.xsd, with xmllint and no network access. Only tests import it.
package xsdtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Xmllint returns the path of xmllint, skipping the test on a developer
// machine without it and failing it in CI, where .ci/run installs it.
func Xmllint(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint not found: .ci/run must install libxml2-utils")
		}
		t.Skip("xmllint not found: install libxml2-utils to validate documents against spec/jxta.xsd")
	}
	return p
}

// Schema returns the path of spec/jxta.xsd, found next to go.mod above the
// test's directory.
func Schema(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "spec", "jxta.xsd")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// Validate runs xmllint over files (offline) in one process and returns
// the files that failed, with xmllint's messages.
func Validate(t testing.TB, files []string) map[string]string {
	t.Helper()
	args := append([]string{"--nonet", "--noout", "--schema", Schema(t)}, files...)
	var stderr bytes.Buffer
	cmd := exec.Command(Xmllint(t), args...)
	cmd.Stderr = &stderr
	err := cmd.Run()
	failed := map[string]string{}
	for _, line := range strings.Split(stderr.String(), "\n") {
		for _, f := range files {
			if strings.HasPrefix(line, f) && !strings.HasSuffix(line, " validates") {
				failed[f] += line + "\n"
			}
		}
	}
	if err != nil && len(failed) == 0 {
		t.Fatalf("xmllint failed: %v\n%s", err, stderr.String())
	}
	return failed
}
