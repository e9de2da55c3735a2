//! The documents stage: read a side, parse it and check it with the
//! build's code.
//!
//! A document is accepted when it parses and passes the build's own checks
//! for comparing ([`Checks::Compare`]): an OpenAPI 3.0.x document with a
//! `paths` mapping, distinct path templates, unique operationIds, and every
//! `$ref` local, pointing at something, and not part of a cycle of
//! references. Every walk over the document uses an explicit stack, so deep
//! input cannot overflow the thread's stack.
//! Later stages walk documents with codegen's document layer (`Loc`,
//! `resolve`, `operations`, `NodePath`).

use std::fmt;
use std::path::{Path, PathBuf};

use upstash_api_codegen::{
    Checks, Positions, SpecError, check_document, parse_document_located, read_spec_file,
};

use super::git;

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// A file at a git revision: `REV:PATH`.
    Git {
        /// The revision (`HEAD~1`, `main`, a hash).
        rev: String,
        /// The path inside the repository.
        path: String,
    },
}

impl Source {
    /// Reads a command-line argument: an existing file wins, otherwise
    /// `REV:PATH` is a git revision and a path, otherwise a file path.
    pub fn parse(arg: &str) -> Source {
        if !Path::new(arg).exists()
            && let Some((rev, path)) = arg.split_once(':')
            && !rev.is_empty()
            && !path.is_empty()
        {
            return Source::Git {
                rev: rev.to_string(),
                path: path.to_string(),
            };
        }
        Source::File(PathBuf::from(arg))
    }

    /// Reads the text, from the file or through `git show` run in `dir`.
    pub fn read(&self, dir: &Path) -> Result<String, SpecError> {
        let text = match self {
            Source::File(path) => {
                read_spec_file(path).map_err(|e| format!("cannot read the file: {e}"))
            }
            Source::Git { rev, path } => git::show(dir, rev, path),
        };
        text.map_err(|e| SpecError::new(e).in_file(self.to_string()))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Git { rev, path } => write!(f, "{rev}:{path}"),
        }
    }
}

/// A loaded, checked document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Where it came from, for messages.
    pub source: String,
    /// The whole document as JSON.
    pub root: serde_json::Value,
    /// The size of the text it was read from, in bytes.
    pub bytes: usize,
    /// Where each node is in the text.
    pub positions: Positions,
    /// The file for locations: the path as given, the path of a `REV:PATH`.
    pub path: String,
}

/// Reads, parses and checks `source` (git revisions are read in `dir`).
pub fn load(source: &Source, dir: &Path) -> Result<Document, SpecError> {
    let text = source.read(dir)?;
    let mut document = load_text(&source.to_string(), &text)?;
    if let Source::Git { path, .. } = source {
        document.path = path.clone();
    }
    Ok(document)
}

/// Parses and checks `text`; `name` is used in messages.
pub fn load_text(name: &str, text: &str) -> Result<Document, SpecError> {
    let (root, positions) = parse_document_located(text).map_err(|e| e.in_file(name))?;
    let document = Document {
        source: name.to_string(),
        root,
        bytes: text.len(),
        positions,
        path: name.to_string(),
    };
    check_document(&document.root, Checks::Compare).map_err(|e| document.place(e))?;
    Ok(document)
}

impl Document {
    /// `error`, about this document, placed in it: its file, and the line
    /// and column of the pointer it names.
    pub fn place(&self, error: SpecError) -> SpecError {
        error.located_in(&self.positions).in_file(&self.source)
    }
}
