// Package cache is a peer's persistent advertisement cache: the store the
// discovery service publishes advertisements into and answers local and
// remote discovery queries from (JXSE's "cache manager", cm).
//
// A peer has one Cache, a single file in its home directory (for example
// <home>/cm.db), with a separate space per peer group: the same
// advertisement published in two groups is two entries, and a search in one
// group never sees the other's. Within a group, an entry is known by its key
// (see Key): publishing an advertisement with the key of a stored one
// replaces it.
//
// # Lifetime and expiration
//
// Every entry carries the two numbers of JXSE's discovery service
// (reference f): its lifetime, how long this peer keeps it, stored as an
// absolute deadline; and its expiration, the relative time other peers may
// keep the copies they receive. Entries past their deadline are never
// returned; Collect (and a background collector, see
// Options.CollectInterval) deletes them. Entry.RemoteExpiration gives the
// expiration to send with an entry in a discovery response: the smaller of
// the remaining lifetime and the expiration.
//
// # Own and remote entries
//
// An entry is this peer's own (published without Publication.Signed) or
// remote: received from another peer, signed by its publisher, and kept
// as the exact bytes the publisher signed with the signature, so that it
// is served signed (Entry.SignedDoc). Others cannot fill the cache in
// place of this peer: a remote entry never replaces an own entry of the
// same key, replaces a remote one only when the same publisher signed
// both, never evicts an own entry (a group full of own entries refuses
// it, ErrFull), and each publisher has at most Options.PublisherQuota
// remote entries in a group (ErrQuota). Refused publications are
// reported by a *RefusedError, the others being stored. Own entries
// replace and evict anything, remote entries first.
//
// # Searching
//
// Search implements the discovery matching rules (reference c.3) on the
// index fields of the advertisements (advert.Advertisement.IndexFields,
// reference b.12): an attribute names an index field of the requested
// category (Peers, Groups or Adv); the value matches case-sensitively
// exactly, or with a leading '*' as a suffix, a trailing '*' as a prefix,
// both as a substring; "*" or "" matches every value. Exact and prefix
// matches are a seek in an ordered index; suffix and substring matches read
// the index keys of that one attribute, never the documents.
//
// # Storage
//
// The file is a bbolt database (an embedded B+tree with transactions),
// with a journal beside it (the file's name and "-journal"). A Publish
// returns once its publication is written to the journal and on the disk,
// so that an acknowledged advertisement survives a crash of the process or
// the machine: one write to blocks allocated beforehand, direct to the
// disk where the system allows it, where a B+tree transaction writes a
// dozen pages and syncs twice. Until a flush moves it into the B+tree, at
// most ten seconds later or once some dozens are waiting, the
// publication is pending: kept in memory, where lookups see it as if it
// were stored, in the same order. A flush stores every pending publication
// in one transaction and empties the journal; Open moves what the journal
// holds after a crash into the B+tree before anything else, and Close
// flushes. Remember stores like PublishAll without writing the journal,
// for advertisements received from other peers: a crash may lose the
// last seconds of them. A cache opened Volatile (one that does not
// outlive its process) publishes that way too. The file is locked while open: a second Open of
// the same file, from this process or another, fails after a short wait
// with ErrLocked. The layout of the file is described in store.go, that of
// the journal in journal.go.
//
// # Damage
//
// A disk, a copy or a person can damage the files; Open finds it, never
// panics on it, and never starts silently without what the files held.
// It reads the whole cache file by its bytes before bbolt opens it
// (boltfile.go, damage.go): every page the tree reaches, in range, of its
// type, referred to once and not free; every element and key within its
// page and in order; the layout of each group, its counts against its
// entries; every record, and every document, which must parse and have
// its entry's key. A file that fails any of this, or that is shorter than
// its pages (a cache file always has its meta pages: an empty one is
// damaged too), is moved aside, renamed with the time (cm.db becomes
// cm.db.damaged-20261207T231500Z), and Open makes a new file, into which
// it stores the entries of the damaged one that read back whole (a
// remote entry's signature must hold), the journal's publications after
// them. One line at error level, through Options.Logger, says what was damaged, where
// the file went, how many entries were recovered of how many the file
// held, and how many were lost. What the tree no longer reaches (its root
// cut off with the end of the file, both meta pages damaged) is lost, and
// the line says the count is unknown. Damage that leaves all of this
// whole is not seen: a changed byte in a stored expiry time, in an index
// key that stays in order (a search by that value misses the entry), or
// in the signature of a remote entry (the peers it is sent to refuse it). The
// check reads every page and parses every document, on all processors:
// about 0.35 s for a file of 20,000 entries on two cores; a file of a
// later format version is not checked, and Open refuses it.
//
// The journal's frames each have a checksum. A frame that fails it, with
// frames of its generation after it, was damaged: it is skipped, the
// frames after it are read, and the line gives its offset and the
// number of frames recovered after it. A frame that fails with nothing
// after it is the torn last write of a crash, never acknowledged, and is
// not reported. A journal cut short gives the frames before the cut. A
// header that fails its checksum gives the frames of the generation they
// carry (see journal.go). A damaged journal is copied aside
// (cm.db-journal.damaged-...) before it is emptied.
//
// Searches return the stored compact XML of the advertisements
// (Entry.Doc), which is what a discovery response sends; Entry.Advertisement
// decodes it when the caller needs the typed form.
//
// # Layering
//
// cache imports the jxta vocabulary (IDs) and advert (documents). The
// group services import it: the discovery service owns the cache of its
// group and the other services reach it through discovery; the embedding
// API (node) opens the peer's cache and hands it to its groups. cache knows
// nothing of the network.
package cache
