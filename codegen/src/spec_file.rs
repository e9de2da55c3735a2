//! Reading a spec from disk: a regular file, up to a size bound.
//!
//! The build, spec-diff and the gate all read spec files through here, so a
//! path that names `/dev/zero`, a FIFO or a folder is refused at once
//! instead of being read until memory runs out, or forever.

use std::fs::{File, Metadata};
use std::io::{self, Read as _};
use std::path::Path;

/// The largest spec file read, in bytes (64 MiB). The published Upstash
/// spec is a few hundred KiB; the bound is there for a file that is not a
/// spec at all.
pub const MAX_SPEC_FILE_BYTES: u64 = 64 << 20;

/// Reads the UTF-8 text of the regular file at `path`, at most
/// [`MAX_SPEC_FILE_BYTES`].
///
/// A path that is not a regular file (a FIFO, a device, a socket, a
/// folder; a symbolic link is followed), a file past the bound or text
/// that is not UTF-8 is an [`io::Error`] whose message says which.
pub fn read_spec_file(path: &Path) -> io::Result<String> {
    // Checked before opening: opening a FIFO blocks until a writer comes.
    check(&std::fs::metadata(path)?)?;
    let file = File::open(path)?;
    // Checked again on what was opened, in case the path changed between.
    check(&file.metadata()?)?;
    let mut bytes = Vec::new();
    file.take(MAX_SPEC_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SPEC_FILE_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the file is not UTF-8 text ({e})"),
        )
    })
}

fn check(metadata: &Metadata) -> io::Result<()> {
    if !metadata.is_file() {
        let what = if metadata.is_dir() {
            "a folder"
        } else {
            "not a regular file (a FIFO, device or socket)"
        };
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {what}; give the path of a spec file"),
        ));
    }
    if metadata.len() > MAX_SPEC_FILE_BYTES {
        return Err(too_large());
    }
    Ok(())
}

fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "the file is larger than {} MiB, the most a spec may be",
            MAX_SPEC_FILE_BYTES >> 20
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read() {
        let dir = std::env::temp_dir().join(format!("spec-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("spec.yml");
        std::fs::write(&path, "openapi: 3.0.3\n").unwrap();
        assert_eq!(read_spec_file(&path).unwrap(), "openapi: 3.0.3\n");
        let error = read_spec_file(&dir).unwrap_err().to_string();
        assert!(error.contains("a folder"), "{error}");
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        let error = read_spec_file(&path).unwrap_err().to_string();
        assert!(error.contains("not UTF-8"), "{error}");
        // Sparse: nothing is written, and nothing may be read.
        File::create(&path)
            .unwrap()
            .set_len(MAX_SPEC_FILE_BYTES + 1)
            .unwrap();
        let error = read_spec_file(&path).unwrap_err().to_string();
        assert!(error.contains("larger than 64 MiB"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_without_reading() {
        let error = read_spec_file(Path::new("/dev/zero")).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let dir = std::env::temp_dir().join(format!("spec-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("spec.yml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Opening it would block for ever: the refusal comes first.
        let error = read_spec_file(&fifo).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
