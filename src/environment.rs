//! Where configuration is read from: environment variables and the home folder.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;

/// A snapshot of the process environment the SDK reads its configuration from.
///
/// [`Environment::from_process`] is what [`ClientBuilder`](crate::ClientBuilder)
/// uses by default. Build one by hand ([`Environment::empty`] plus
/// [`var`](Environment::var) and [`home`](Environment::home)) to resolve
/// configuration without touching the real environment, for example in tests.
///
/// The variables read are `UPSTASH_EMAIL`, `UPSTASH_API_KEY`,
/// `UPSTASH_API_URL`, `UPSTASH_CONFIG_HOME` and `XDG_CONFIG_HOME`.
#[derive(Clone, Default)]
pub struct Environment {
    vars: HashMap<String, OsString>,
    home: Option<PathBuf>,
}

/// The variables the SDK reads; only these are copied from the process.
const VARIABLES: &[&str] = &[
    "UPSTASH_EMAIL",
    "UPSTASH_API_KEY",
    "UPSTASH_API_URL",
    "UPSTASH_CONFIG_HOME",
    "XDG_CONFIG_HOME",
];

impl Environment {
    /// The SDK's variables and home folder of the running process.
    pub fn from_process() -> Environment {
        let vars = VARIABLES
            .iter()
            .filter_map(|name| std::env::var_os(name).map(|value| (name.to_string(), value)))
            .collect();
        Environment {
            vars,
            home: std::env::home_dir(),
        }
    }

    /// No variables and no home folder.
    pub fn empty() -> Environment {
        Environment::default()
    }

    /// The same environment with the variable `name` set to `value`.
    pub fn var(mut self, name: impl Into<String>, value: impl Into<OsString>) -> Environment {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// The same environment with `dir` as the user's home folder.
    pub fn home(mut self, dir: impl Into<PathBuf>) -> Environment {
        self.home = Some(dir.into());
        self
    }

    /// The value of `name`, if it is set, valid UTF-8 and not blank.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.vars
            .get(name)
            .and_then(|v| v.to_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }

    /// A path-valued variable, if set and not empty.
    pub(crate) fn get_path(&self, name: &str) -> Option<PathBuf> {
        self.vars
            .get(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    }

    /// The user's home folder, if known.
    pub(crate) fn home_dir(&self) -> Option<&PathBuf> {
        self.home.as_ref()
    }
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values are never printed: UPSTASH_API_KEY is a secret.
        let mut names: Vec<&str> = self.vars.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("Environment")
            .field("vars_set", &names)
            .field("home", &self.home)
            .finish()
    }
}
