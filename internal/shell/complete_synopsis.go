package shell

import "strings"

// argKind is what a command's argument names, for completion.
type argKind int

const (
	argNone     argKind = iota // free text: nothing to offer
	argVariable                // a shell variable
	argFile                    // a file path
	argCommand                 // a command name
)

// synopsisArgs is what a command's Synopsis says about its arguments.
type synopsisArgs struct {
	options    map[string]argKind // option ("-d") to the kind of its value; flags are argNone
	optionArgs map[string]bool    // options that take a value
	positional []argKind          // the arguments after the options, in order
	repeats    bool               // the last positional argument repeats ("FILE...")
}

// parseSynopsis reads a usage line such as
// "search [-r] [-p peer] [-a attr -v value] FILE... | name": an option
// followed by a word takes that word as its value; other words are
// positional arguments; words joined by "|" are alternatives for one
// argument, of the first one's kind.
func parseSynopsis(synopsis string) synopsisArgs {
	spaced := strings.NewReplacer("[", " [ ", "]", " ] ", "|", " | ").Replace(synopsis)
	words := strings.Fields(spaced)
	a := synopsisArgs{options: make(map[string]argKind), optionArgs: make(map[string]bool)}
	if len(words) > 0 {
		words = words[1:] // the command name
	}
	alternative := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "[" || w == "]":
			alternative = false
		case w == "...": // "[FILE | var]...": the last argument repeats
			a.repeats = len(a.positional) > 0
		case w == "|":
			alternative = true
		case len(w) > 1 && w[0] == '-':
			a.options[w] = argNone
			if i+1 < len(words) && isPlaceholder(words[i+1]) {
				i++
				a.options[w] = placeholderKind(words[i])
				a.optionArgs[w] = true
			}
			alternative = false
		default:
			if !alternative || len(a.positional) == 0 {
				a.positional = append(a.positional, placeholderKind(w))
				a.repeats = strings.HasSuffix(w, "...")
			}
			alternative = false
		}
	}
	return a
}

// isPlaceholder reports whether a synopsis word names a value.
func isPlaceholder(w string) bool {
	return w != "[" && w != "]" && w != "|" && !strings.HasPrefix(w, "-")
}

// placeholderKind tells what a synopsis placeholder such as FILE, groupVar
// or ms names. Unknown names are taken for variables, which most commands
// take.
func placeholderKind(p string) argKind {
	l := strings.ToLower(strings.TrimSuffix(p, "..."))
	switch {
	case strings.Contains(l, "file") || strings.Contains(l, "path") || strings.Contains(l, "script") || l == "dir":
		return argFile
	case l == "command" || l == "cmd":
		return argCommand
	case strings.Contains(l, "var"):
		return argVariable
	}
	switch l {
	case "name", "ms", "n", "count", "duration", "value", "attr", "description",
		"identity", "text", "pattern", "tag", "uri", "addr", "address", "seconds":
		return argNone
	}
	return argVariable
}

// argumentKind returns the kind of the word after args (the command's
// arguments before the one being completed).
func (a synopsisArgs) argumentKind(args []string) argKind {
	if n := len(args); n > 0 && a.optionArgs[args[n-1]] {
		return a.options[args[n-1]]
	}
	pos := 0
	for i := 0; i < len(args); i++ {
		switch {
		case a.optionArgs[args[i]]:
			i++ // its value
		case len(args[i]) > 1 && args[i][0] == '-':
		default:
			pos++
		}
	}
	switch {
	case pos < len(a.positional):
		return a.positional[pos]
	case a.repeats:
		return a.positional[len(a.positional)-1]
	}
	return argNone
}
