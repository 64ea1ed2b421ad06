// Package xfer is the file transfer protocol of jxtashell's xfer command:
// one file per connection, over any reliable ordered byte stream (in
// jxtashell, a bidirectional pipe), with resume after an interruption and
// a SHA-256 check of the whole file before it takes its name.
//
// # Protocol (gojxta-xfer/1)
//
// Lines are UTF-8 without control characters and end with "\n".
//
//  1. The sender writes the offer, at most 4,096 bytes: the line
//     "gojxta-xfer/1", then "name <file name>", "size <decimal bytes>",
//     "sha256 <64 lowercase hex digits>" (of the whole file) and
//     "sender <who sends>", each once, in any order, then an empty line.
//     Lines with other keys are ignored. The name is a base name: no
//     "/", "\\", NUL or control character, not "." or "..", at most 200
//     bytes.
//  2. The receiver answers one line, at most 1,024 bytes: "resume <n>"
//     (0 <= n <= size: it already holds the first n bytes of this very
//     file, or all of them), or "refuse <reason>" and closes.
//  3. The sender writes the size-n bytes of the file from offset n.
//  4. The receiver, having hashed the whole file, answers "ok <name>" (the
//     file is complete, verified and saved under that name, which differs
//     from the offered one when that name was taken by another file) or
//     "fail <reason>" (a SHA-256 mismatch, a disk error), and both close.
//
// # The receiver's directory
//
// A Receiver writes into one directory, opened as an os.Root so that no
// name, symbolic link or ".." can lead outside it. A file being received
// is kept in the subdirectory ".partial" as "<name>.<first 16 hex digits
// of its SHA-256>.part", with the offer that started it beside it
// ("….offer"). A later offer of the same name, size and SHA-256 resumes
// after the bytes the partial file holds; the receiver hashes them again
// and the check of the whole file catches any that went bad. A file that
// fails the check is removed, so that the next attempt starts over.
//
// A complete file is linked to its name only if that name is free: if a
// different file has it, the file is saved as "<base>-1<.ext>",
// "<base>-2<.ext>" and so on, and the answer says so; a file identical to
// the offered one (same size and SHA-256) already there is not sent again.
// Offers larger than the receiver's limit (64 GiB by default) are refused.
//
// Memory stays bounded whatever the file size: files are streamed in
// 256 KiB pieces, never loaded whole. A stalled peer is given up after
// an idle timeout (60 s by default), and a context ends a transfer at
// once.
//
// Only jxtashell's shell package imports xfer; it depends on nothing of
// gojxta.
package xfer
