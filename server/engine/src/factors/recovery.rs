//! Recovery codes: ten single-use codes shown once at enrolment, for when the phone is lost. Each
//! is 80 random bits, so like session tokens they are stored as SHA-256 digests (a slow hash
//! protects guessable secrets; these are not guessable).

use crate::factors::totp::base32;
use crate::secrets::digest;
use rand::RngCore;

/// How many codes a user holds after enrolling, or after asking for new ones.
pub const COUNT: usize = 10;

/// `COUNT` new codes, as the user is shown them: `ABCD-EFGH-IJKL-MNOP`.
pub fn generate() -> Vec<String> {
    (0..COUNT)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rng().fill_bytes(&mut bytes);
            let text = base32(&bytes);
            text.as_bytes()
                .chunks(4)
                .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// Whether `typed` has the shape of a recovery code rather than an authenticator app's code.
pub fn looks_like_one(typed: &str) -> bool {
    normalize(typed).len() == 16
}

/// What is stored for a code: the digest of its letters, whatever case, spaces or dashes it was
/// typed with.
pub fn digest_of(typed: &str) -> String {
    digest(&format!("recovery-code:{}", normalize(typed)))
}

fn normalize(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_read_back_however_typed() {
        let codes = generate();
        assert_eq!(codes.len(), COUNT);
        let mut distinct = codes.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), COUNT);
        let code = &codes[0];
        assert_eq!(code.len(), 19, "{code}");
        assert!(looks_like_one(code));
        let sloppy = format!(" {} ", code.to_lowercase().replace('-', " "));
        assert_eq!(digest_of(&sloppy), digest_of(code));
        assert!(!looks_like_one("123456"));
    }
}
