//! The exercises that ship with multiplier, embedded at compile time so that
//! `exercise list` and `review grade --exercise SLUG` work from any directory.
//!
//! An explicit list of `include_str!` (rather than a directory-embedding crate): it
//! needs no dependency, Cargo rebuilds when any listed file changes, and a test
//! checks that every folder under `exercises/` is listed here.

use super::exercise::{Exercise, ExerciseError, ExerciseSpec};
use crate::source::{Problem, Problems};

/// One built-in exercise: its folder name, `exercise.toml` and the other files.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub slug: &'static str,
    pub toml: &'static str,
    /// `(file name, text)` for each file the exercise refers to.
    pub files: &'static [(&'static str, &'static str)],
}

macro_rules! exercise {
    ($slug:literal, [$($file:literal),+]) => {
        Builtin {
            slug: $slug,
            toml: include_str!(concat!("../../../../exercises/", $slug, "/exercise.toml")),
            files: &[$(($file, include_str!(concat!("../../../../exercises/", $slug, "/", $file)))),+],
        }
    };
}

/// Every built-in exercise, in the order `exercise list` shows them.
pub const BUILTIN: &[Builtin] = &[
    exercise!("orders-n-plus-one", ["change.diff"]),
    exercise!("invoice-search", ["change.diff"]),
    exercise!("avatar-uploads", ["change.diff"]),
    exercise!("cart-pricing", ["change.diff"]),
];

impl Builtin {
    /// Find a built-in exercise by its slug.
    pub fn find(slug: &str) -> Option<&'static Builtin> {
        BUILTIN.iter().find(|b| b.slug == slug)
    }

    /// The name used for its `exercise.toml` in messages.
    pub fn source(&self) -> String {
        format!("exercises/{}/exercise.toml (built in)", self.slug)
    }

    /// Parse it and check its key against its diff.
    pub fn load(&self) -> Result<Exercise, ExerciseError> {
        let source = self.source();
        let spec = ExerciseSpec::parse(&source, self.toml)?;
        let Some((name, diff)) = self.files.iter().find(|(name, _)| *name == spec.diff) else {
            return Err(ExerciseError(vec![Problems {
                source,
                problems: vec![Problem::new(
                    None,
                    "diff",
                    format!("`{}` is not one of the embedded files", spec.diff),
                )],
            }]));
        };
        let diff_source = format!("exercises/{}/{name} (built in)", self.slug);
        spec.with_diff(self.slug, &diff_source, diff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_exercise_loads_with_a_valid_key() {
        for b in BUILTIN {
            let ex = b.load();
            assert!(
                ex.is_ok(),
                "{}: {}",
                b.slug,
                ex.err().map(|e| e.to_string()).unwrap_or_default()
            );
        }
    }

    #[test]
    fn every_folder_under_exercises_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../exercises");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("exercises/ exists")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("exercise.toml").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = BUILTIN.iter().map(|b| b.slug.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed, "add new exercise folders to BUILTIN");
    }
}
