//! A range of commits read as one change, for turning a real pull request into a
//! code-review exercise: the files whose content differs between the two commits'
//! trees (with their bytes before and after), the commit messages, and the people
//! who authored or committed the commits in between, so they can be scrubbed.
//!
//! Trees are compared path by path by blob id (no rename detection: a renamed
//! file shows as deleted and added). The line diff itself is written by the core
//! (`multiplier_core::review::import`), which needs no repository.

use crate::{GitError, read_err};
use gix::ObjectId;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One file that differs between the two trees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    /// The content at the base (`None`: the file did not exist).
    pub before: Option<Vec<u8>>,
    /// The content at the head (`None`: the file was deleted).
    pub after: Option<Vec<u8>>,
}

/// What changed from `base` to `head`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeChange {
    /// The resolved commit ids.
    pub base: String,
    pub head: String,
    /// In path order.
    pub files: Vec<FileChange>,
    /// The messages of the commits reachable from head and not from base, newest first.
    pub messages: Vec<String>,
    /// Names and email addresses of their authors and committers.
    pub people: Vec<String>,
}

/// Read `BASE..HEAD` in the repository at `path`. Each side may be a full or
/// abbreviated commit id, a branch or tag name, optionally followed by `~N` or `^`.
pub fn range_change(path: &Path, base: &str, head: &str) -> Result<RangeChange, GitError> {
    let repo = gix::open(path).map_err(|e| GitError::Open {
        path: path.to_path_buf(),
        source: Box::new(e),
    })?;
    let base_id = resolve(&repo, base)?;
    let head_id = resolve(&repo, head)?;
    let before = tree_files(&repo, base_id)?;
    let after = tree_files(&repo, head_id)?;
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut files = Vec::new();
    for path in paths {
        let (b, a) = (before.get(path), after.get(path));
        if b == a {
            continue;
        }
        files.push(FileChange {
            path: path.clone(),
            before: b.map(|id| blob(&repo, *id, path)).transpose()?,
            after: a.map(|id| blob(&repo, *id, path)).transpose()?,
        });
    }

    let mut messages = Vec::new();
    let mut people = BTreeSet::new();
    let walk = repo
        .rev_walk([head_id])
        .with_hidden([base_id])
        .all()
        .map_err(read_err("the commits of the range"))?;
    for info in walk {
        let info = info.map_err(read_err("the commits of the range"))?;
        let commit = info.object().map_err(read_err("a commit of the range"))?;
        for sig in [commit.author(), commit.committer()] {
            let sig = sig.map_err(read_err("a commit's author"))?;
            for value in [sig.name.to_string(), sig.email.to_string()] {
                if !value.trim().is_empty() {
                    people.insert(value.trim().to_string());
                }
            }
        }
        messages.push(commit.message_raw_sloppy().to_string());
    }
    Ok(RangeChange {
        base: base_id.to_string(),
        head: head_id.to_string(),
        files,
        messages,
        people: people.into_iter().collect(),
    })
}

fn unknown(spec: &str) -> GitError {
    GitError::Revision {
        spec: spec.to_string(),
    }
}

/// A commit id from `NAME[~N|^...]`.
fn resolve(repo: &gix::Repository, spec: &str) -> Result<ObjectId, GitError> {
    let spec = spec.trim();
    let (name, back) = match spec.find(['~', '^']) {
        Some(i) => {
            let suffix = &spec[i..];
            let back = if let Some(n) = suffix.strip_prefix('~') {
                if n.is_empty() {
                    1
                } else {
                    n.parse::<usize>().map_err(|_| unknown(spec))?
                }
            } else if suffix.chars().all(|c| c == '^') {
                suffix.len()
            } else {
                return Err(unknown(spec));
            };
            (&spec[..i], back)
        }
        None => (spec, 0),
    };
    if name.is_empty() {
        return Err(unknown(spec));
    }
    let is_hex = name.len() >= 4 && name.len() <= 40 && name.chars().all(|c| c.is_ascii_hexdigit());
    let found = if let Ok(Some(mut reference)) = repo.try_find_reference(name) {
        Some(
            reference
                .peel_to_id()
                .map_err(read_err(format!("the reference {name}")))?
                .detach(),
        )
    } else if let (true, Ok(id)) = (name.len() == 40, ObjectId::from_hex(name.as_bytes())) {
        Some(id)
    } else if is_hex {
        let prefix = gix::hash::Prefix::from_hex(name).map_err(|_| unknown(spec))?;
        match repo.objects.lookup_prefix(prefix, None) {
            Ok(Some(Ok(id))) => Some(id),
            _ => None,
        }
    } else {
        None
    };
    let id = found.ok_or_else(|| unknown(spec))?;
    let mut commit = repo
        .find_object(id)
        .map_err(|_| unknown(spec))?
        .peel_to_commit()
        .map_err(|_| unknown(spec))?;
    for _ in 0..back {
        let parent = commit
            .parent_ids()
            .next()
            .map(|p| p.detach())
            .ok_or_else(|| unknown(spec))?;
        commit = repo
            .find_commit(parent)
            .map_err(read_err(format!("a parent in {spec}")))?;
    }
    Ok(commit.id)
}

/// Every blob of a commit's tree, by path (submodules are skipped).
fn tree_files(
    repo: &gix::Repository,
    commit: ObjectId,
) -> Result<BTreeMap<String, ObjectId>, GitError> {
    let tree = repo
        .find_commit(commit)
        .map_err(read_err("a commit"))?
        .tree_id()
        .map_err(read_err("a commit's tree"))?
        .detach();
    let mut out = BTreeMap::new();
    let mut pending = vec![(tree, String::new())];
    while let Some((id, prefix)) = pending.pop() {
        let tree = repo.find_tree(id).map_err(read_err("a tree"))?;
        let decoded = tree.decode().map_err(read_err("a tree"))?;
        for entry in &decoded.entries {
            let name = entry.filename.to_string();
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.mode.is_tree() {
                pending.push((entry.oid.to_owned(), path));
            } else if !entry.mode.is_commit() {
                out.insert(path, entry.oid.to_owned());
            }
        }
    }
    Ok(out)
}

fn blob(repo: &gix::Repository, id: ObjectId, path: &str) -> Result<Vec<u8>, GitError> {
    Ok(repo
        .find_blob(id)
        .map_err(read_err(format!("the content of {path}")))?
        .detach()
        .data)
}
