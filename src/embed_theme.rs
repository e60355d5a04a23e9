//! Cargo build script: rebuild when the built-in default theme changes, since it is embedded
//! into the binary.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/embed_theme.rs");
}
