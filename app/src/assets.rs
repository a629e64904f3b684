//! The built assets' names. A release build names every file under `/pkg` after a hash of its
//! content (`guise.3Kq….wasm`, cargo-leptos `hash-files`) and writes those hashes to `hash.txt`
//! beside the server binary; browsers may then keep the files for good (`immutable`), since a new
//! build brings new names. A build without the file (the tests' debug builds) keeps plain names.

use leptos::config::LeptosOptions;
use std::path::PathBuf;
use std::sync::OnceLock;

/// `options`, set to hashed names when the build that made the binary wrote its hash file. Run
/// once, at start-up; it also settles the stylesheet's name for [`stylesheet_href`].
pub fn with_built_names(mut options: LeptosOptions) -> LeptosOptions {
    let hashes = hash_file(&options).and_then(|path| std::fs::read_to_string(path).ok());
    options.hash_files = hashes.is_some();
    let name = match hashes.as_deref().and_then(|h| hash_of(h, "css")) {
        Some(hash) => format!("{}.{hash}.css", options.output_name),
        None => format!("{}.css", options.output_name),
    };
    let _ = STYLESHEET.set(format!("/{}/{name}", options.site_pkg_dir));
    if let Some(hash) = hashes.as_deref().and_then(|h| hash_of(h, "myaccount")) {
        let _ = MY_ACCOUNT_BUNDLE.set(format!("/{}/myaccount.{hash}", options.site_pkg_dir));
    }
    options
}

static MY_ACCOUNT_BUNDLE: OnceLock<String> = OnceLock::new();

/// My Account's own bundle, `/pkg/myaccount.<hash>` (`.js` and `.wasm`), when the release build
/// made one (scripts/build-my-account.sh writes its `myaccount` line in the hash file). Without it
/// My Account's pages hydrate with the site's bundle, as every page does in a debug build.
pub fn my_account_bundle() -> Option<&'static str> {
    MY_ACCOUNT_BUNDLE.get().map(String::as_str)
}

/// Where Leptos reads the hashes: beside the running binary.
fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

static STYLESHEET: OnceLock<String> = OnceLock::new();

/// The stylesheet's path: `/pkg/guise.<hash>.css` in a release build, else `/pkg/guise.css` (also
/// for a server that was not started through [`with_built_names`], as in tests).
pub fn stylesheet_href() -> &'static str {
    STYLESHEET.get().map_or("/pkg/guise.css", String::as_str)
}

/// The hash of `kind` (`css`, `js`, `wasm`) in a hash file's `kind: hash` lines.
fn hash_of(hashes: &str, kind: &str) -> Option<String> {
    hashes.lines().find_map(|line| {
        let (name, hash) = line.split_once(':')?;
        (name.trim() == kind).then(|| hash.trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_file_is_read_by_kind() {
        let hashes = "js: aaaa\nwasm: bbbb\ncss: cccc\nsplit: dddd\nmyaccount: eeee\n";
        assert_eq!(hash_of(hashes, "myaccount").as_deref(), Some("eeee"));
        assert_eq!(hash_of(hashes, "css").as_deref(), Some("cccc"));
        assert_eq!(hash_of(hashes, "wasm").as_deref(), Some("bbbb"));
        assert_eq!(hash_of(hashes, "manifest"), None);
    }
}
