package interop

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Shared returns the path of the shared folder, found as ../shared next
// to the directory that holds go.mod, or "" when it does not exist. The
// interop documents are in its interop folder (Locate); other test
// helpers find their material there too (internal/jxsepeer: a real JXSE
// peer in jxse).
func Shared() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(filepath.Dir(dir), "shared")
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				return p
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Locate returns the path of the shared interop directory, found as
// ../shared/interop next to the directory that holds go.mod, or "" when it
// does not exist.
func Locate() string {
	shared := Shared()
	if shared == "" {
		return ""
	}
	p := filepath.Join(shared, "interop")
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return p
	}
	return ""
}

// Dir returns the shared interop directory, or skips tb when it is absent.
func Dir(tb testing.TB) string {
	tb.Helper()
	p := Locate()
	if p == "" {
		tb.Skip("../shared/interop not found beside the repository: interop tests need the shared JXTA sample documents")
	}
	return p
}

// Files returns the paths of the files under the interop directory (or one
// of its subdirectories) whose names end in one of exts, sorted. It skips
// tb when the directory is absent.
func Files(tb testing.TB, sub string, exts ...string) []string {
	tb.Helper()
	root := filepath.Join(Dir(tb), sub)
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		for _, e := range exts {
			if strings.HasSuffix(d.Name(), e) {
				out = append(out, path)
				break
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("walking %s: %v", root, err)
	}
	sort.Strings(out)
	return out
}

// XMLFiles returns every XML document of the collection: the .xml and .adv
// files.
func XMLFiles(tb testing.TB) []string {
	tb.Helper()
	return Files(tb, "", ".xml", ".adv")
}

// AddXMLSeeds adds every XML document of the collection to f's seed
// corpus, when the collection is present (a fuzz target still runs on its
// other seeds without it).
func AddXMLSeeds(f *testing.F) {
	f.Helper()
	if Locate() == "" {
		return
	}
	for _, file := range XMLFiles(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// Incomplete reports whether a document is one the reference marks as
// incomplete: a specification example whose text stands in for omitted
// parts ("... remainder omitted for brevity ..."), or a bare fragment.
func Incomplete(data []byte) bool {
	s := string(data)
	return strings.Contains(s, "omitted")
}
