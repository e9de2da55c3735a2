//! The error every step of loading and generating reports.

use std::fmt;

use crate::positions::{Position, Positions};

/// Why a spec could not be turned into code. The `Display` form, for whoever
/// edited the spec, names the file (when known), the line and column or the
/// place, and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file the spec came from, if it came from a file.
    pub file: Option<String>,
    /// Where in the document the problem is: a line and column, a JSON
    /// pointer, or an operation such as `POST /redis/restore-backup/{id}`.
    pub location: Option<String>,
    /// The line and column of a pointer `location` in the text, once
    /// [`SpecError::located_in`] has found it.
    pub position: Option<Position>,
    /// What is wrong, in one sentence.
    pub problem: String,
}

impl SpecError {
    /// A problem with no location yet; the file is added by the caller that knows it.
    pub fn new(problem: impl Into<String>) -> Self {
        SpecError {
            file: None,
            location: None,
            position: None,
            problem: problem.into(),
        }
    }

    /// The same error, located at `location` inside the document.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// The same error with the line and column of its pointer location
    /// (its nearest ancestor's when the text does not spell it out), so an
    /// editor can jump to it.
    pub fn located_in(mut self, positions: &Positions) -> Self {
        if let Some(pointer) = self.location.as_deref().filter(|l| l.starts_with('/')) {
            self.position = positions.find(pointer);
        }
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
        if let Some(file) = &self.file {
            write!(f, "{file}:")?;
            if let Some(Position { line, column }) = self.position {
                write!(f, "{line}:{column}:")?;
            }
            f.write_str(" ")?;
        }
        match &self.location {
            Some(loc) => write!(f, "{loc}: {}", self.problem),
            None => f.write_str(&self.problem),
        }
    }
}

impl std::error::Error for SpecError {}
