//! The on-disk cache of generated SDK surfaces: a hit gives what generating
//! gives, a broken entry falls back to generating, keys follow the spec, and
//! `SPEC_DIFF_CACHE=off` leaves the disk alone. Every test uses a temporary
//! directory passed explicitly (or, for the binary, through the child's
//! environment only).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use upstash_api_codegen::{Spec, SpecError};
use xtask::spec_diff::sdk_cache::{self, SurfaceCache};
use xtask::spec_diff::sdk_surface::{
    SdkSurface, SurfaceChange, focus, surface_changes_cached, surface_changes_exact,
};

fn fixture_path(case: &str, side: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{case}/{side}.yml"))
}

fn fixture(case: &str, side: &str) -> Spec {
    Spec::from_file(&fixture_path(case, side)).unwrap_or_else(|e| panic!("{e}"))
}

fn pair(case: &str) -> (Spec, Spec) {
    (fixture(case, "old"), fixture(case, "new"))
}

/// The entries in `dir` (none when it does not exist).
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|listing| listing.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

fn uncached(old: &Spec, new: &Spec) -> Vec<SurfaceChange> {
    surface_changes_cached(old, new, None).expect("generates")
}

/// A generator that must not run: the surface has to come from the cache.
fn must_hit(_: &Spec) -> Result<SdkSurface, SpecError> {
    Err(SpecError::new(
        "generated although the cache holds the surface",
    ))
}

#[test]
fn a_miss_then_a_hit_give_the_same_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = SurfaceCache::at(dir.path());
    let (old, new) = pair("request-required-property-added");
    let expected = uncached(&old, &new);
    assert!(!expected.is_empty(), "the fixture changes the surface");
    assert!(entries(dir.path()).is_empty());

    let miss = surface_changes_cached(&old, &new, Some(&cache)).expect("generates");
    assert_eq!(miss, expected);
    assert_eq!(entries(dir.path()).len(), 2, "one entry per side");

    let hit = surface_changes_cached(&old, &new, Some(&cache)).expect("reads the cache");
    assert_eq!(hit, expected);
    assert_eq!(entries(dir.path()).len(), 2);

    // Both sides really come from the cache, and equal what generating gives.
    let (old_focused, new_focused) = focus(&old, &new);
    for spec in [&old_focused, &new_focused] {
        let cached = SurfaceCache::surface_or_generate(Some(&cache), spec, must_hit)
            .expect("a hit, not a generation");
        assert_eq!(cached, SdkSurface::from_spec(spec).expect("generates"));
    }
}

#[test]
fn a_hit_on_one_side_still_generates_the_other() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = SurfaceCache::at(dir.path());
    let (old, new) = pair("operation-removed");
    let expected = uncached(&old, &new);
    surface_changes_cached(&old, &new, Some(&cache)).expect("generates");
    let (_, new_focused) = focus(&old, &new);
    let new_key = SurfaceCache::key(&new_focused).expect("a key");
    std::fs::remove_file(cache.entry_path(&new_key)).expect("the new side's entry exists");

    let again = surface_changes_cached(&old, &new, Some(&cache)).expect("generates");
    assert_eq!(again, expected);
    assert!(
        cache.entry_path(&new_key).exists(),
        "the new side is stored again"
    );
}

#[test]
fn a_corrupt_entry_falls_back_to_generating() {
    let (old, new) = pair("request-required-property-added");
    let expected = uncached(&old, &new);
    let broken: [&[u8]; 6] = [
        b"",
        b"not json at all",
        b"{\"format\": 1, \"key\": \"",
        b"{\"format\": 1, \"key\": \"x\", \"surface\": {}}",
        b"[1, 2, 3]",
        &[0xff, 0xfe, 0x00, 0x01],
    ];
    for content in broken {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = SurfaceCache::at(dir.path());
        surface_changes_cached(&old, &new, Some(&cache)).expect("generates");
        for entry in entries(dir.path()) {
            std::fs::write(&entry, content).expect("overwrite the entry");
        }
        let result = surface_changes_cached(&old, &new, Some(&cache)).expect("falls back");
        assert_eq!(result, expected, "with entries {content:?}");
        // The broken entries were replaced by good ones.
        let (old_focused, _) = focus(&old, &new);
        SurfaceCache::surface_or_generate(Some(&cache), &old_focused, must_hit)
            .expect("the entry was rewritten");
    }
}

#[test]
fn an_entry_of_the_right_shape_under_another_key_is_not_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = SurfaceCache::at(dir.path());
    let (old, new) = pair("request-required-property-added");
    let (old_focused, new_focused) = focus(&old, &new);
    let old_key = SurfaceCache::key(&old_focused).expect("a key");
    let new_key = SurfaceCache::key(&new_focused).expect("a key");
    let new_surface = SdkSurface::from_spec(&new_focused).expect("generates");
    cache.store(&new_key, &new_surface);
    // A copied (or renamed) file: the key inside does not match its name.
    std::fs::copy(cache.entry_path(&new_key), cache.entry_path(&old_key)).expect("copy");
    assert!(cache.load(&old_key).is_none());
    assert_eq!(cache.load(&new_key), Some(new_surface));
}

#[test]
fn the_key_follows_the_spec() {
    let (old, new) = pair("request-required-property-added");
    let key = |spec: &Spec| SurfaceCache::key(spec).expect("a key");
    assert_ne!(key(&old), key(&new));
    // The same document read twice has the same key.
    assert_eq!(
        key(&old),
        key(&fixture("request-required-property-added", "old"))
    );
    let other = fixture("operation-removed", "old");
    assert_ne!(key(&old), key(&other));
    // A change anywhere in the document changes it, even a description.
    let mut described = old.clone();
    described.openapi.info.description = Some("another description".to_string());
    assert_ne!(key(&old), key(&described));
    assert_eq!(key(&old).len(), 64);
    assert!(key(&old).chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn off_in_the_environment_turns_the_cache_off() {
    let dir = tempfile::tempdir().expect("temp dir");
    for switch in ["off", "OFF", "0", "false", "no"] {
        let vars = |name: &str| -> Option<OsString> {
            match name {
                sdk_cache::SWITCH_VAR => Some(switch.into()),
                sdk_cache::DIR_VAR => Some(dir.path().into()),
                _ => None,
            }
        };
        let cache = SurfaceCache::from_vars(vars);
        assert_eq!(cache, None, "SPEC_DIFF_CACHE={switch}");
        let (old, new) = pair("operation-removed");
        surface_changes_cached(&old, &new, cache.as_ref()).expect("generates");
        assert!(entries(dir.path()).is_empty(), "SPEC_DIFF_CACHE={switch}");
    }
}

#[test]
fn the_environment_chooses_the_directory() {
    let from = |pairs: &'static [(&'static str, &'static str)]| {
        SurfaceCache::from_vars(|name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        })
        .map(|cache| cache.dir().to_path_buf())
    };
    assert_eq!(
        from(&[(sdk_cache::DIR_VAR, "/x/cache"), ("CARGO_TARGET_DIR", "/t")]),
        Some(PathBuf::from("/x/cache"))
    );
    assert_eq!(
        from(&[("CARGO_TARGET_DIR", "/t")]),
        Some(PathBuf::from("/t/spec-diff-cache"))
    );
    assert_eq!(
        from(&[(sdk_cache::DIR_VAR, ""), (sdk_cache::SWITCH_VAR, "on")]),
        Some(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../target")
                .join("spec-diff-cache")
        )
    );
}

#[test]
fn the_surface_survives_its_json_form() {
    // Every fixture that generates, and the SDK's own spec: structs, enums,
    // aliases, builders with setters and `send`.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut specs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yml")];
    for case in std::fs::read_dir(&fixtures).expect("fixtures").flatten() {
        specs.push(case.path().join("old.yml"));
        specs.push(case.path().join("new.yml"));
    }
    let mut items = 0;
    for path in specs {
        let Ok(spec) = Spec::from_file(&path) else {
            continue;
        };
        let Ok(surface) = SdkSurface::from_spec(&spec) else {
            continue;
        };
        items += surface.item_count();
        let json = surface.to_json();
        assert_eq!(
            SdkSurface::from_json(&json).as_ref(),
            Some(&surface),
            "{}",
            path.display()
        );
    }
    assert!(items > 100, "{items} items");
    assert_eq!(SdkSurface::from_json(&serde_json::json!({})), None);
    assert_eq!(SdkSurface::from_json(&serde_json::json!(null)), None);
}

#[test]
fn the_cache_stays_bounded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = SurfaceCache::at(dir.path());
    let surface = SdkSurface::default();
    let old = SystemTime::now() - Duration::from_secs(8 * 24 * 60 * 60);
    for i in 0..sdk_cache::MAX_ENTRIES + 5 {
        let key = format!("{i:064x}");
        cache.store(&key, &surface);
        if i < 3 {
            std::fs::File::options()
                .write(true)
                .open(cache.entry_path(&key))
                .and_then(|f| f.set_modified(old))
                .expect("age the entry");
        }
    }
    // A stale temporary file from a crashed writer.
    let temp = dir.path().join(".dead.1.2.tmp");
    std::fs::write(&temp, b"half").expect("write");
    std::fs::File::options()
        .write(true)
        .open(&temp)
        .and_then(|f| f.set_modified(old))
        .expect("age the temp file");
    cache.store(&format!("{:064x}", 999_999), &surface);

    let left = entries(dir.path());
    assert!(
        left.len() <= sdk_cache::MAX_ENTRIES,
        "{} entries",
        left.len()
    );
    assert!(!temp.exists());
    for i in 0..3 {
        assert!(!cache.entry_path(&format!("{i:064x}")).exists(), "aged {i}");
    }
    assert!(cache.load(&format!("{:064x}", 999_999)).is_some());
    assert!(
        left.iter()
            .all(|p| p.extension().is_some_and(|e| e == "json"))
    );
}

#[test]
fn an_unwritable_cache_is_ignored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"not a directory").expect("write");
    let cache = SurfaceCache::at(file.join("cache"));
    let (old, new) = pair("operation-removed");
    let result = surface_changes_cached(&old, &new, Some(&cache)).expect("generates");
    assert_eq!(result, uncached(&old, &new));
}

#[test]
fn the_cached_result_matches_the_exact_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = SurfaceCache::at(dir.path());
    let (old, new) = pair("operation-removed");
    let exact = surface_changes_exact(&old, &new).expect("generates");
    for _ in 0..2 {
        let cached = surface_changes_cached(&old, &new, Some(&cache)).expect("generates");
        assert_eq!(cached, exact);
    }
}

/// The binary: the cache directory gets entries, and none with the switch off.
#[test]
fn the_command_uses_the_cache_unless_it_is_off() {
    let run = |dir: &Path, off: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .arg("spec-diff")
            .arg("--sdk")
            .arg(fixture_path("request-required-property-added", "old"))
            .arg(fixture_path("request-required-property-added", "new"))
            .env(sdk_cache::DIR_VAR, dir)
            .env_remove(sdk_cache::SWITCH_VAR);
        if off {
            command.env(sdk_cache::SWITCH_VAR, "off");
        }
        let output = command.output().expect("runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    };
    let off_dir = tempfile::tempdir().expect("temp dir");
    let cold = run(off_dir.path(), true);
    assert!(entries(off_dir.path()).is_empty());

    let on_dir = tempfile::tempdir().expect("temp dir");
    let first = run(on_dir.path(), false);
    assert_eq!(entries(on_dir.path()).len(), 2);
    let second = run(on_dir.path(), false);
    assert_eq!(first, cold);
    assert_eq!(second, cold);
}
