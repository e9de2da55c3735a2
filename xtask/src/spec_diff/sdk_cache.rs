//! An on-disk cache of generated SDK surfaces, so that a repeated
//! comparison (the CI gate, a maintainer running the same diff again, the
//! accepted side that never changes) skips progenitor and the surface reader.
//!
//! Each side of a comparison is cached on its own: the key of one side is a
//! SHA-256 of everything that determines its [`SdkSurface`]:
//!
//! - the (focused) spec the surface is generated from, as the canonical JSON
//!   of its `openapiv3` document (what progenitor is given);
//! - [`GENERATOR_INPUTS`]: the cache format version, xtask's version, a
//!   hand-maintained generator tag, and the sources that decide what is
//!   generated and how it is read (`codegen/src/settings.rs`,
//!   `generate.rs`, and the normalisations of `spec.rs`, `responses.rs`,
//!   `json_operations.rs`, `tolerance.rs`, `names.rs`, `open_enums.rs`; this crate's `sdk_surface.rs` and
//!   `sdk_tokens.rs`) and the workspace `Cargo.lock` (so a progenitor,
//!   typify or proc-macro2 upgrade changes every key). These are compiled
//!   in with `include_str!`, so editing the generator settings or the
//!   surface reader invalidates the cache without anyone having to
//!   remember to.
//!
//! The value is the surface as JSON ([`SdkSurface::to_json`]), with the
//! format version and the key, in `<key>.json`.
//!
//! Where: `$SPEC_DIFF_CACHE_DIR` when set, else `spec-diff-cache` in
//! `$CARGO_TARGET_DIR`, else in the workspace's `target/`.
//! `SPEC_DIFF_CACHE=off` (or `0`, `false`, `no`) turns the cache off.
//!
//! The cache is only ever an optimisation: an entry that cannot be read or
//! parsed is treated as absent (and overwritten), and a failure to write is
//! ignored. Entries are written to a temporary file and renamed into place,
//! so a reader never sees half an entry. On every write, entries not used for
//! [`MAX_AGE`] are removed, and the least recently used beyond
//! [`MAX_ENTRIES`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};
use upstash_api_codegen::Spec;

use super::sdk_surface::SdkSurface;

/// The version of the entry format; bump it when the entry layout written
/// here changes ([`SdkSurface::to_json`] lives in `sdk_surface.rs`, whose
/// every edit already changes the keys).
pub const FORMAT_VERSION: u32 = 1;

/// A hand-maintained tag for the generator: change it when something that
/// changes the generated surface is not among the sources digested in
/// [`GENERATOR_INPUTS`] (for example a new codegen source file the
/// generation starts to depend on).
pub const GENERATOR_TAG: &str = "progenitor-0.15.1/typify-0.8.0/2";

/// Entries not used for this long are removed when an entry is written.
pub const MAX_AGE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// At most this many entries are kept; the least recently used go first.
pub const MAX_ENTRIES: usize = 200;

/// The environment variable naming the cache directory.
pub const DIR_VAR: &str = "SPEC_DIFF_CACHE_DIR";

/// The environment variable that turns the cache off (`off`, `0`, `false`,
/// `no`).
pub const SWITCH_VAR: &str = "SPEC_DIFF_CACHE";

/// The compiled-in inputs of the generator, each as a (name, content) pair;
/// their digest is part of every key.
pub const GENERATOR_INPUTS: &[(&str, &str)] = &[
    ("xtask-version", env!("CARGO_PKG_VERSION")),
    ("generator-tag", GENERATOR_TAG),
    (
        "codegen/src/settings.rs",
        include_str!("../../../codegen/src/settings.rs"),
    ),
    (
        "codegen/src/generate.rs",
        include_str!("../../../codegen/src/generate.rs"),
    ),
    (
        "codegen/src/spec.rs",
        include_str!("../../../codegen/src/spec.rs"),
    ),
    (
        "codegen/src/responses.rs",
        include_str!("../../../codegen/src/responses.rs"),
    ),
    (
        "codegen/src/tolerance.rs",
        include_str!("../../../codegen/src/tolerance.rs"),
    ),
    (
        "codegen/src/json_operations.rs",
        include_str!("../../../codegen/src/json_operations.rs"),
    ),
    (
        "codegen/src/names.rs",
        include_str!("../../../codegen/src/names.rs"),
    ),
    (
        "codegen/src/open_enums.rs",
        include_str!("../../../codegen/src/open_enums.rs"),
    ),
    (
        "xtask/src/spec_diff/sdk_surface.rs",
        include_str!("sdk_surface.rs"),
    ),
    (
        "xtask/src/spec_diff/sdk_tokens.rs",
        include_str!("sdk_tokens.rs"),
    ),
    ("Cargo.lock", include_str!("../../../Cargo.lock")),
];

/// The file name suffix of an entry.
const ENTRY_SUFFIX: &str = ".json";

/// A directory of cached surfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurfaceCache {
    dir: PathBuf,
}

impl SurfaceCache {
    /// The cache the environment asks for: `None` when `SPEC_DIFF_CACHE` turns
    /// it off, else in `$SPEC_DIFF_CACHE_DIR`, `$CARGO_TARGET_DIR/spec-diff-cache`
    /// or the workspace's `target/spec-diff-cache`.
    pub fn from_env() -> Option<SurfaceCache> {
        SurfaceCache::from_vars(|name| std::env::var_os(name))
    }

    /// [`SurfaceCache::from_env`] with the environment given as a lookup
    /// function (for tests).
    pub fn from_vars(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<SurfaceCache> {
        if let Some(switch) = var(SWITCH_VAR) {
            let switch = switch.to_string_lossy().trim().to_ascii_lowercase();
            if matches!(switch.as_str(), "off" | "0" | "false" | "no") {
                return None;
            }
        }
        let non_empty = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let dir = match non_empty(DIR_VAR) {
            Some(dir) => dir,
            None => non_empty("CARGO_TARGET_DIR")
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
                .join("spec-diff-cache"),
        };
        Some(SurfaceCache { dir })
    }

    /// A cache in `dir` (created on the first write).
    pub fn at(dir: impl Into<PathBuf>) -> SurfaceCache {
        SurfaceCache { dir: dir.into() }
    }

    /// The directory of the entries.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of the surface of `spec`: a hex SHA-256 of the generator
    /// inputs and the spec's canonical JSON. `None` when the spec cannot be
    /// serialized (then it is not cached).
    pub fn key(spec: &Spec) -> Option<String> {
        let mut hasher = Sha256::new();
        hasher.update(generator_digest());
        serde_json::to_writer(HashWriter(&mut hasher), &spec.openapi).ok()?;
        Some(hex(&hasher.finalize()))
    }

    /// The path of the entry for `key`.
    pub fn entry_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}{ENTRY_SUFFIX}"))
    }

    /// The cached surface for `key`, or `None` when there is none or it
    /// cannot be read or parsed. A hit marks the entry as used.
    pub fn load(&self, key: &str) -> Option<SdkSurface> {
        let path = self.entry_path(key);
        let bytes = std::fs::read(&path).ok()?;
        let entry: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        if entry.get("format")?.as_u64()? != u64::from(FORMAT_VERSION)
            || entry.get("key")?.as_str()? != key
        {
            return None;
        }
        let surface = SdkSurface::from_json(entry.get("surface")?)?;
        // Mark it as recently used, for pruning; failing that is harmless.
        if let Ok(file) = std::fs::File::options().write(true).open(&path) {
            let _ = file.set_modified(SystemTime::now());
        }
        Some(surface)
    }

    /// Stores `surface` under `key`, atomically; any failure is ignored (the
    /// cache is an optimisation). Prunes old entries first.
    pub fn store(&self, key: &str, surface: &SdkSurface) {
        let _ = self.try_store(key, surface);
    }

    fn try_store(&self, key: &str, surface: &SdkSurface) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        self.prune(MAX_ENTRIES.saturating_sub(1));
        let entry = serde_json::json!({
            "format": FORMAT_VERSION,
            "key": key,
            "surface": surface.to_json(),
        });
        let bytes = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let temp = self.dir.join(format!(
            ".{key}.{}.{nanos}.{:?}.tmp",
            std::process::id(),
            std::thread::current().id()
        ));
        let written = std::fs::File::create(&temp)
            .and_then(|mut file| file.write_all(&bytes))
            .and_then(|()| std::fs::rename(&temp, self.entry_path(key)));
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }

    /// Removes entries (and leftover temporary files) older than
    /// [`MAX_AGE`], then the least recently used entries beyond `keep`.
    fn prune(&self, keep: usize) {
        let Ok(listing) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        let mut entries: Vec<(SystemTime, PathBuf)> = Vec::new();
        for item in listing.flatten() {
            let name = item.file_name();
            let name = name.to_string_lossy();
            let is_entry = name.ends_with(ENTRY_SUFFIX) && !name.starts_with('.');
            let is_temp = name.starts_with('.') && name.ends_with(".tmp");
            if !is_entry && !is_temp {
                continue;
            }
            let Ok(modified) = item.metadata().and_then(|m| m.modified()) else {
                continue;
            };
            let age = now.duration_since(modified).unwrap_or(Duration::ZERO);
            if age > MAX_AGE || (is_temp && age > Duration::from_secs(60 * 60)) {
                let _ = std::fs::remove_file(item.path());
            } else if is_entry {
                entries.push((modified, item.path()));
            }
        }
        if entries.len() > keep {
            entries.sort();
            let excess = entries.len() - keep;
            for (_, path) in entries.into_iter().take(excess) {
                let _ = std::fs::remove_file(path);
            }
        }
    }

    /// The surface of `spec`: from the cache when it holds it, else
    /// generated with `generate` and stored. With no cache, just generates.
    pub fn surface_or_generate<E>(
        cache: Option<&SurfaceCache>,
        spec: &Spec,
        generate: impl FnOnce(&Spec) -> Result<SdkSurface, E>,
    ) -> Result<SdkSurface, E> {
        let Some(cache) = cache else {
            return generate(spec);
        };
        let Some(key) = SurfaceCache::key(spec) else {
            return generate(spec);
        };
        if let Some(surface) = cache.load(&key) {
            return Ok(surface);
        }
        let surface = generate(spec)?;
        cache.store(&key, &surface);
        Ok(surface)
    }
}

/// The digest of [`FORMAT_VERSION`] and [`GENERATOR_INPUTS`], computed once.
fn generator_digest() -> &'static [u8] {
    static DIGEST: OnceLock<Vec<u8>> = OnceLock::new();
    DIGEST.get_or_init(|| {
        let mut hasher = Sha256::new();
        hasher.update(b"spec-diff sdk surface cache\0");
        hasher.update(FORMAT_VERSION.to_le_bytes());
        for (name, content) in GENERATOR_INPUTS {
            // Lengths first, so that no two input lists hash alike.
            hasher.update((name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update((content.len() as u64).to_le_bytes());
            hasher.update(content.as_bytes());
        }
        hasher.finalize().to_vec()
    })
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Feeds serialized bytes straight into a hasher.
struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
