package shell

// syntaxHelp is the page "man syntax" prints.
const syntaxHelp = `cmd args            run a command; words are separated by blanks
cmd1; cmd2          run one after the other: cmd2 runs whatever cmd1
                    returned at the prompt (a script stops, see below)
a && b              run b only if a succeeded (exit status 0)
a || b              run b only if a failed; "a && b || c" runs a, then b
                    if a succeeded, then c if the last one run failed;
                    $? is the status of the last command run
a | b | c           a pipeline: the text each command writes is the next
                    one's input, and so is the object it returns (a
                    document, a list of discovery results, text); the
                    commands run one after the other, and a failing one
                    stops the pipeline (the text it wrote is shown)
var = cmd args      store the command's result in var ("var = a | b":
                    the result of b); without it, commands that make
                    objects name them envN, peerN, groupN or advN
"a b" 'a b'         quoting: one word with blanks; \ escapes the next
                    character outside single quotes
$?                  the exit status of the last command (0: success; 1:
                    failure; 2: bad arguments; 127: unknown command),
                    outside single quotes
# comment           the rest of the line is ignored

Which input a command takes: cat, more, validate and exportfile take the
object the command before them returned, or else its text; grep and wc
read its text. Given no variable and no pipe, grep, wc, more and
exportfile read the lines typed (or the next lines of a script) up to a
line holding only ".".

Scripts (jxtashell -f FILE, -e "cmds", or commands on standard input)
stop at the first command that fails, with its exit status; "set -k"
(jxtashell -k) makes them go on. ~/.jxta/.jshrc stops a line at its
first failing command and goes on with the next line. As with "set -e" in a
POSIX shell, a command on the left of "&&" or "||" is a condition: its
failure does not stop the script. At the prompt the shell never stops. If a variable named echo exists ("set -x"), each
command is printed before it runs.

Example:
    importfile pipe.xml | validate
    peers | grep -c alice
    x = search -n 1 | cat -p
    nosuch; echo status $?
    importfile pipe.xml p && validate p || echo "not valid"`
