//! The error every step of loading and generating reports.

use std::fmt;

/// Why a spec could not be turned into code. The `Display` form, for whoever
/// edited the spec, names the file (when known), the place and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file the spec came from, if it came from a file.
    pub file: Option<String>,
    /// Where in the document the problem is: a line and column, or an
    /// operation such as `POST /redis/restore-backup/{id}`.
    pub location: Option<String>,
    /// What is wrong, in one sentence.
    pub problem: String,
}

impl SpecError {
    /// A problem with no location yet; the file is added by the caller that knows it.
    pub fn new(problem: impl Into<String>) -> Self {
        SpecError {
            file: None,
            location: None,
            problem: problem.into(),
        }
    }

    /// The same error, located at `location` inside the document.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// The same error, attributed to `file` unless it already names one.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, &self.location) {
            (Some(file), Some(loc)) => write!(f, "{file}: {loc}: {}", self.problem),
            (Some(file), None) => write!(f, "{file}: {}", self.problem),
            (None, Some(loc)) => write!(f, "{loc}: {}", self.problem),
            (None, None) => f.write_str(&self.problem),
        }
    }
}

impl std::error::Error for SpecError {}
