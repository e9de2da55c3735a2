//! Project tasks written in Rust: `cargo xtask <task>`.

fn main() {
    eprintln!("usage: cargo xtask <task>\n\ntasks:\n  spec-diff   compare two versions of the OpenAPI spec");
    std::process::exit(2);
}
