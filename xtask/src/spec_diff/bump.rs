//! The version bump a change demands of the crate: what a release that
//! carries it does to the Rust code that imports the crate.
//!
//! - **major**: Rust code can break: an item removed or changed, or a call
//!   that worked now fails in the crate (a builder value newly required, a
//!   value now refused); the changes with Rust API differences (`rust_api`).
//! - **minor**: the Rust API only grows (an operation, parameter, field or
//!   enum value added; a value no longer required).
//! - **patch**: the wire changed and the Rust API did not (servers, paths,
//!   defaults, unchecked constraints, documented text). A wire-breaking
//!   change can be a patch: the API broke HTTP clients, the release adapts.
//! - **none**: documentation only.
//!
//! Without the Rust API analysis (off, or a document too large) the wire
//! verdict stands in: the stricter rule, [`Bump::of_severity`], which
//! `--check --strict-wire` also applies.

use semver::Version;

use super::change::{Change, DiffReport, SdkAnalysis};
use super::rules::Severity;

/// Which rule decides the bump a report demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BumpRule {
    /// What the release does to Rust code ([`Bump::of_change`]).
    #[default]
    RustApi,
    /// The stricter rule: every wire-breaking change is major
    /// ([`Bump::of_severity`]); `--strict-wire`.
    Wire,
}

impl BumpRule {
    /// The bump `report` demands, in semver terms (see
    /// [`Bump::for_version`] for a 0.x crate): the largest of its changes'.
    pub fn required(self, report: &DiffReport) -> Bump {
        report
            .changes
            .iter()
            .map(|c| match self {
                BumpRule::RustApi => Bump::of_change(c, &report.sdk),
                BumpRule::Wire => Bump::of_severity(c.severity),
            })
            .max()
            .unwrap_or(Bump::None)
    }
}

/// How much a version must grow, in semver terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// No bump needed.
    None,
    /// The patch number (or more).
    Patch,
    /// The minor number (or more).
    Minor,
    /// The major number.
    Major,
}

impl Bump {
    /// The bump `change` demands; `analysis` says whether the Rust API
    /// analysis saw the change.
    pub fn of_change(change: &Change, analysis: &SdkAnalysis) -> Bump {
        if change.severity == Severity::Docs {
            return Bump::None;
        }
        if !change.rust_api.is_empty() {
            return Bump::Major;
        }
        match analysis {
            SdkAnalysis::Unavailable(_) => Bump::of_severity(change.severity),
            // Skipped: nothing on the wire could reach the Rust API.
            SdkAnalysis::Done(_) | SdkAnalysis::Skipped(_) if change.adds_to_rust_api => {
                Bump::Minor
            }
            SdkAnalysis::Done(_) | SdkAnalysis::Skipped(_) => Bump::Patch,
        }
    }

    /// The stricter rule, from the wire verdict alone: whatever breaks an
    /// HTTP client or Rust code is major, any other change minor.
    pub fn of_severity(severity: Severity) -> Bump {
        match severity {
            Severity::Breaking | Severity::SdkBreaking => Bump::Major,
            Severity::NonBreaking => Bump::Minor,
            Severity::Docs => Bump::None,
        }
    }

    /// The bump a crate at `base` needs: while it is 0.x, Cargo reads the
    /// minor number as the major one, so each bump moves one place down.
    pub fn for_version(self, base: &Version) -> Bump {
        if base.major != 0 {
            return self;
        }
        match self {
            Bump::Major => Bump::Minor,
            Bump::Minor | Bump::Patch => Bump::Patch,
            Bump::None => Bump::None,
        }
    }

    /// The bump from `base` to `current`; `None` if `current` is lower.
    pub fn between(base: &Version, current: &Version) -> Option<Bump> {
        if current < base {
            return None;
        }
        Some(if current.major > base.major {
            Bump::Major
        } else if current.minor > base.minor {
            Bump::Minor
        } else if current.patch > base.patch || current.pre != base.pre {
            Bump::Patch
        } else {
            Bump::None
        })
    }

    /// The smallest version after `base` with this bump.
    pub fn apply(self, base: &Version) -> Version {
        match self {
            Bump::None => base.clone(),
            Bump::Patch => Version::new(base.major, base.minor, base.patch + 1),
            Bump::Minor => Version::new(base.major, base.minor + 1, 0),
            Bump::Major => Version::new(base.major + 1, 0, 0),
        }
    }

    /// `major`, `minor`, `patch` or `none`: the JSON report's values.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// `a major`, for sentences.
    pub fn name(self) -> &'static str {
        match self {
            Bump::None => "no",
            Bump::Patch => "a patch",
            Bump::Minor => "a minor",
            Bump::Major => "a major",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_diff::rules::Rule;

    fn change(severity: Severity, rust_api: bool, adds: bool) -> Change {
        let mut c = Change::new(Rule::OperationAdded, None, "x");
        c.severity = severity;
        if rust_api {
            c.rust_api.push("Client::x (sdk-method-removed)".into());
        }
        c.adds_to_rust_api = adds;
        c
    }

    #[test]
    fn the_rust_api_decides_and_the_wire_stands_in_without_it() {
        let done = SdkAnalysis::Done(1);
        let off = SdkAnalysis::Unavailable("--no-sdk".into());
        let cases = [
            (Severity::Breaking, true, false, Bump::Major, Bump::Major),
            (Severity::SdkBreaking, true, false, Bump::Major, Bump::Major),
            // The API broke HTTP clients; the Rust API is the same.
            (Severity::Breaking, false, false, Bump::Patch, Bump::Major),
            (Severity::Breaking, false, true, Bump::Minor, Bump::Major),
            (Severity::NonBreaking, false, true, Bump::Minor, Bump::Minor),
            (
                Severity::NonBreaking,
                false,
                false,
                Bump::Patch,
                Bump::Minor,
            ),
            (Severity::Docs, false, false, Bump::None, Bump::None),
        ];
        for (severity, rust_api, adds, with, without) in cases {
            let c = change(severity, rust_api, adds);
            assert_eq!(
                Bump::of_change(&c, &done),
                with,
                "{severity:?} {rust_api} {adds}"
            );
            assert_eq!(
                Bump::of_change(&c, &off),
                without,
                "{severity:?} {rust_api} {adds}"
            );
        }
    }

    #[test]
    fn a_zero_major_version_moves_each_bump_one_place_down() {
        let zero = Version::new(0, 2, 0);
        let one = Version::new(1, 2, 0);
        assert_eq!(Bump::Major.for_version(&zero), Bump::Minor);
        assert_eq!(Bump::Minor.for_version(&zero), Bump::Patch);
        assert_eq!(Bump::Patch.for_version(&zero), Bump::Patch);
        assert_eq!(Bump::Major.for_version(&one), Bump::Major);
        assert_eq!(
            Bump::between(&zero, &Version::new(0, 3, 0)),
            Some(Bump::Minor)
        );
        assert_eq!(Bump::between(&zero, &Version::new(0, 1, 9)), None);
        assert_eq!(Bump::Minor.apply(&zero), Version::new(0, 3, 0));
    }
}
