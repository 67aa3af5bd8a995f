//! Turns a git repository's history into multiplier's delivery events. The only
//! crate that knows gix exists.
//!
//! A deployment is a tag matching a glob (its time: the tagger date of an
//! annotated tag, else the tagged commit's committer date) or, in branch mode, each
//! first-parent commit of a branch (its committer date). The changes of a
//! deployment are the commits reachable from it and not from an earlier one, found
//! in a single pass: deployments are visited in time order and each walk stops at
//! commits already assigned. Only small per-commit records are kept; no diff is
//! ever computed.

mod range;

pub use range::{FileChange, RangeChange, range_change};

use gix::ObjectId;
use gix::prelude::FindExt;
use jiff::Timestamp;
use multiplier_core::delivery::{Change, ChangeId, Deployment};
use std::path::{Path, PathBuf};

/// Which refs are deployments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Tags whose short name matches a glob, e.g. `v*` or `release-*`.
    Tags(String),
    /// Every first-parent commit of a branch.
    Branch(String),
}

/// What the history holds.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// In time order.
    pub deployments: Vec<Deployment>,
    /// Commits on HEAD not shipped by any deployment yet.
    pub undeployed: Vec<Change>,
    /// Commits read in all.
    pub commits: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{path} is not a git repository (or cannot be opened)")]
    Open {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("no tag in {path} matches `{glob}` ({total} tags in all{examples})")]
    NoMatchingTags {
        path: PathBuf,
        glob: String,
        total: usize,
        examples: String,
    },
    #[error("`{0}` is not a valid glob pattern")]
    Glob(String),
    #[error("there is no branch `{name}` in {path}")]
    NoBranch { path: PathBuf, name: String },
    #[error("`{spec}` is not a commit, branch or tag of the repository")]
    Revision { spec: String },
    #[error("cannot read {what} in the repository")]
    Read {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

fn read_err<E: std::error::Error + Send + Sync + 'static>(
    what: impl Into<String>,
) -> impl FnOnce(E) -> GitError {
    let what = what.into();
    move |e| GitError::Read {
        what,
        source: Box::new(e),
    }
}

/// The error for a failed read of `what`, built only when a read fails (the
/// walk reads every commit, so an eager `format!` per read costs time).
fn failed<E: std::error::Error + Send + Sync + 'static>(
    what: &str,
    id: &ObjectId,
    e: E,
) -> GitError {
    GitError::Read {
        what: format!("{what} {id}"),
        source: Box::new(e),
    }
}

/// A commit id as core keeps it: 20 bytes for SHA-1, else its hex.
fn change_id(id: &ObjectId) -> ChangeId {
    match <[u8; 20]>::try_from(id.as_slice()) {
        Ok(bytes) => ChangeId::Sha1(bytes),
        Err(_) => ChangeId::from(id.to_string()),
    }
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The commit ids a message says it reverts ("This reverts commit <sha>").
pub fn reverted(message: &[u8]) -> Vec<String> {
    const MARK: &[u8] = b"This reverts commit ";
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(pos) = rest.windows(MARK.len()).position(|w| w == MARK) {
        let after = &rest[pos + MARK.len()..];
        let hex: String = after
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .map(|b| char::from(*b).to_ascii_lowercase())
            .collect();
        if (7..=64).contains(&hex.len()) {
            out.push(hex);
        }
        rest = after;
    }
    out
}

/// One commit as kept: parents, author and committer seconds, reverted ids.
#[derive(Default)]
struct Record {
    parents: Vec<ObjectId>,
    authored: i64,
    committed: i64,
    reverts: Vec<String>,
}

/// Read a commit into `r`, reusing its parents' vector.
fn read_into(
    repo: &gix::Repository,
    id: &ObjectId,
    buf: &mut Vec<u8>,
    r: &mut Record,
) -> Result<(), GitError> {
    use gix::objs::commit::ref_iter::Token;
    let iter = repo
        .objects
        .find_commit_iter(id, buf)
        .map_err(|e| failed("commit", id, e))?;
    r.parents.clear();
    r.authored = 0;
    r.committed = 0;
    r.reverts = Vec::new();
    for token in iter {
        match token.map_err(|e| failed("commit", id, e))? {
            Token::Parent { id } => r.parents.push(id),
            Token::Author { signature } => r.authored = signature.seconds(),
            Token::Committer { signature } => r.committed = signature.seconds(),
            Token::Message(m) => r.reverts = reverted(m),
            _ => {}
        }
    }
    Ok(())
}

fn read_commit(
    repo: &gix::Repository,
    id: &ObjectId,
    buf: &mut Vec<u8>,
) -> Result<Record, GitError> {
    let mut r = Record::default();
    read_into(repo, id, buf, &mut r)?;
    Ok(r)
}

/// Follow a tag chain to its commit; the first tag's tagger time, if any.
fn peel(
    repo: &gix::Repository,
    mut id: ObjectId,
    buf: &mut Vec<u8>,
) -> Result<(ObjectId, Option<i64>), GitError> {
    let mut tagger = None;
    for _ in 0..16 {
        let data = repo
            .objects
            .find(&id, buf)
            .map_err(|e| failed("object", &id, e))?;
        match data.kind {
            gix::object::Kind::Tag => {
                let tag = data.decode().map_err(|e| failed("tag", &id, e))?;
                let tag = tag.as_tag().ok_or_else(|| GitError::Read {
                    what: format!("tag {id}"),
                    source: "not a tag".into(),
                })?;
                if tagger.is_none() {
                    tagger = tag
                        .tagger()
                        .map_err(|e| failed("tag", &id, e))?
                        .map(|s| s.seconds());
                }
                id = tag.target();
            }
            gix::object::Kind::Commit => return Ok((id, tagger)),
            other => {
                return Err(GitError::Read {
                    what: format!("object {id}"),
                    source: format!("a tag points at a {other}, not a commit").into(),
                });
            }
        }
    }
    Err(GitError::Read {
        what: format!("tag {id}"),
        source: "tag chain too long".into(),
    })
}

/// Read the deployments and their changes. `progress` is called with the number
/// of commits read so far, every few thousand commits.
pub fn read(
    path: &Path,
    mode: &Mode,
    progress: &mut dyn FnMut(usize),
) -> Result<History, GitError> {
    read_since(path, mode, None, progress)
}

/// How much clock skew between a commit and its parents the windowed walk
/// tolerates: it walks the history shared with earlier deployments this far
/// below the oldest commit it still needs before it stops.
pub const SKEW_SECONDS: i64 = 24 * 60 * 60;

/// As [`read`], but when `since` is given only the history the deployments at
/// or after it need is read: deployments before `since` are listed with no
/// changes, and the walk stops once everything left to read is reachable from
/// them (see [`SKEW_SECONDS`] and docs/metrics.md). The deployments from
/// `since` on, their changes and the undeployed commits are the same as
/// [`read`] gives.
pub fn read_since(
    path: &Path,
    mode: &Mode,
    since: Option<Timestamp>,
    progress: &mut dyn FnMut(usize),
) -> Result<History, GitError> {
    let since = since.map(|t| t.as_second());
    // No object cache: every commit is read once, so a cache of decoded objects
    // only costs memory and a copy per object (the pack's delta-base cache,
    // which does help, stays).
    let repo = gix::open(path).map_err(|e| GitError::Open {
        path: path.to_path_buf(),
        source: Box::new(e),
    })?;
    let mut buf = Vec::new();

    // The deployment points: (name, commit, time in seconds).
    let mut points: Vec<(String, ObjectId, i64)> = Vec::new();
    match mode {
        Mode::Tags(glob) => {
            let pattern = glob::Pattern::new(glob).map_err(|_| GitError::Glob(glob.clone()))?;
            let refs = repo.references().map_err(read_err("references"))?;
            let mut names = Vec::new();
            for reference in refs.tags().map_err(read_err("tags"))? {
                let mut reference = reference.map_err(|e| GitError::Read {
                    what: "a tag".into(),
                    source: Box::new(e),
                })?;
                let name = reference.name().shorten().to_string();
                names.push(name.clone());
                if !pattern.matches(&name) {
                    continue;
                }
                // The object the tag ref names: an annotated tag object (with a tagger date) or a commit.
                let direct = match reference.target() {
                    gix::refs::TargetRef::Object(id) => id.to_owned(),
                    gix::refs::TargetRef::Symbolic(_) => reference
                        .peel_to_id()
                        .map_err(read_err(format!("tag {name}")))?
                        .detach(),
                };
                let (commit, tagger) = peel(&repo, direct, &mut buf)?;
                let time = match tagger {
                    Some(t) => t,
                    None => read_commit(&repo, &commit, &mut buf)?.committed,
                };
                points.push((name, commit, time));
            }
            if points.is_empty() {
                let examples = if names.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", e.g. {}",
                        names.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                    )
                };
                return Err(GitError::NoMatchingTags {
                    path: path.to_path_buf(),
                    glob: glob.clone(),
                    total: names.len(),
                    examples,
                });
            }
        }
        Mode::Branch(name) => {
            let full = if name.starts_with("refs/") {
                name.clone()
            } else {
                format!("refs/heads/{name}")
            };
            let mut reference =
                repo.find_reference(full.as_str())
                    .map_err(|_| GitError::NoBranch {
                        path: path.to_path_buf(),
                        name: name.clone(),
                    })?;
            let mut id = reference
                .peel_to_id()
                .map_err(read_err(format!("branch {name}")))?
                .detach();
            loop {
                let r = read_commit(&repo, &id, &mut buf)?;
                points.push((id.to_hex_with_len(10).to_string(), id, r.committed));
                // The last deployment before the window stands for all the
                // earlier ones: they are its first-parent ancestors.
                if since.is_some_and(|s| r.committed < s) {
                    break;
                }
                match r.parents.first() {
                    Some(parent) => id = *parent,
                    None => break,
                }
            }
            points.reverse();
        }
    }
    points.sort_by_key(|p| p.2);
    if let Some(since) = since {
        return windowed(&repo, points, since, progress, &mut buf);
    }

    // One pass: each commit goes to the earliest deployment that reaches it.
    let mut seen: gix::hashtable::HashSet<ObjectId> = gix::hashtable::HashSet::default();
    let mut commits = 0usize;
    let mut walk = |start: ObjectId,
                    seen: &mut gix::hashtable::HashSet<ObjectId>,
                    buf: &mut Vec<u8>|
     -> Result<Vec<Change>, GitError> {
        let mut changes = Vec::new();
        let mut stack = vec![start];
        let mut r = Record::default();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            read_into(&repo, &id, buf, &mut r)?;
            stack.extend(r.parents.iter().copied());
            changes.push(Change {
                id: change_id(&id),
                authored: at(r.authored),
                reverts: std::mem::take(&mut r.reverts),
            });
            commits += 1;
            if commits.is_multiple_of(5_000) {
                progress(commits);
            }
        }
        // Kept until the report is done: no room for changes that never come.
        changes.shrink_to_fit();
        Ok(changes)
    };
    let mut deployments = Vec::with_capacity(points.len());
    for (name, id, time) in &points {
        let changes = walk(*id, &mut seen, &mut buf)?;
        deployments.push(Deployment {
            name: name.clone(),
            time: at(*time),
            changes,
        });
    }
    let undeployed = match repo.head_id() {
        Ok(head) => walk(head.detach(), &mut seen, &mut buf)?,
        Err(_) => Vec::new(),
    };
    progress(commits);
    Ok(History {
        deployments,
        undeployed,
        commits,
    })
}

/// A commit met by the windowed walk.
struct Met {
    record: Record,
    /// Reachable from a deployment before the window.
    old: bool,
    /// Its parents were queued as old.
    spread_old: bool,
}

/// The windowed read: a walk newest-first by committer time from every tip at
/// once, as `git rev-list NEW... ^OLD...` does, where the deployments before
/// `since` are the old tips. A commit reachable from an old tip is old (shipped
/// before the window); the walk stops when every commit still queued is old and
/// [`SKEW_SECONDS`] older than the oldest new commit met, so a parent dated a
/// little after its child does not hide an old commit. Then the deployments
/// from the window on claim their new commits in time order, as in [`read`].
fn windowed(
    repo: &gix::Repository,
    points: Vec<(String, ObjectId, i64)>,
    since: i64,
    progress: &mut dyn FnMut(usize),
    buf: &mut Vec<u8>,
) -> Result<History, GitError> {
    use gix::hashtable::hash_map::Entry;
    use std::collections::BinaryHeap;

    let mut met: gix::hashtable::HashMap<ObjectId, Met> = gix::hashtable::HashMap::default();
    // (committer seconds, id, queued as old)
    let mut queue: BinaryHeap<(i64, ObjectId, bool)> = BinaryHeap::new();
    let mut old_queued = 0usize;
    let mut commits = 0usize;
    let head = repo.head_id().ok().map(|h| h.detach());
    let tips = points
        .iter()
        .map(|(_, id, time)| (*id, *time < since))
        .chain(head.map(|h| (h, false)));
    for (id, old) in tips {
        let r = read_commit(repo, &id, buf)?;
        commits += 1;
        queue.push((r.committed, id, old));
        if old {
            old_queued += 1;
        }
        match met.entry(id) {
            Entry::Occupied(mut e) => e.get_mut().old |= old,
            Entry::Vacant(e) => {
                e.insert(Met {
                    record: r,
                    old,
                    spread_old: false,
                });
            }
        }
    }
    let mut oldest_new = i64::MAX;
    while let Some((time, id, as_old)) = queue.pop() {
        if as_old {
            old_queued -= 1;
        }
        let Some(m) = met.get_mut(&id) else { continue };
        let parents = m.record.parents.clone();
        let spread = if m.old {
            if m.spread_old {
                continue;
            }
            m.spread_old = true;
            true
        } else {
            oldest_new = oldest_new.min(time);
            false
        };
        for p in parents {
            match met.entry(p) {
                Entry::Occupied(mut e) => {
                    // Met before: only news that it is old needs passing on.
                    if spread && !e.get().old {
                        e.get_mut().old = true;
                        queue.push((e.get().record.committed, p, true));
                        old_queued += 1;
                    }
                }
                Entry::Vacant(e) => {
                    let r = read_commit(repo, &p, buf)?;
                    commits += 1;
                    if commits.is_multiple_of(5_000) {
                        progress(commits);
                    }
                    queue.push((r.committed, p, spread));
                    if spread {
                        old_queued += 1;
                    }
                    e.insert(Met {
                        record: r,
                        old: spread,
                        spread_old: false,
                    });
                }
            }
        }
        // Everything still queued is old, and old enough that no new commit
        // can be hiding below it.
        if old_queued == queue.len()
            && queue
                .peek()
                .is_none_or(|(t, _, _)| *t < oldest_new.saturating_sub(SKEW_SECONDS))
        {
            break;
        }
    }

    // The deployments from the window on claim their new commits in time order.
    let mut claimed: gix::hashtable::HashSet<ObjectId> = gix::hashtable::HashSet::default();
    let mut claim = |start: ObjectId| -> Vec<Change> {
        let mut changes = Vec::new();
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            let Some(m) = met.get(&id) else { continue };
            if m.old || !claimed.insert(id) {
                continue;
            }
            stack.extend(m.record.parents.iter().copied());
            changes.push(Change {
                id: change_id(&id),
                authored: at(m.record.authored),
                reverts: m.record.reverts.clone(),
            });
        }
        changes
    };
    let mut deployments = Vec::with_capacity(points.len());
    for (name, id, time) in points {
        let changes = if time < since { Vec::new() } else { claim(id) };
        deployments.push(Deployment {
            name,
            time: at(time),
            changes,
        });
    }
    let undeployed = head.map(&mut claim).unwrap_or_default();
    progress(commits);
    Ok(History {
        deployments,
        undeployed,
        commits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revert_messages_yield_the_reverted_ids() {
        let msg = b"Revert \"Add cache\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n";
        assert_eq!(reverted(msg), ["0123456789abcdef0123456789abcdef01234567"]);
        assert_eq!(reverted(b"This reverts commit ABCDEF1."), ["abcdef1"]);
        assert!(reverted(b"This reverts commit 12.").is_empty());
        assert!(reverted(b"no revert here").is_empty());
    }
}
