//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30-second steps, six
//! digits — the parameters every authenticator app reads from an `otpauth://` URI without asking.

use aws_lc_rs::hmac;
use rand::RngCore;

/// Seconds per step.
pub const STEP_SECS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Steps either side of now that still count: a phone's clock a little off, or a code typed as it
/// changed.
const DRIFT_STEPS: i64 = 1;
/// 160 bits, RFC 4226's recommended secret length.
const SECRET_BYTES: usize = 20;

/// A new random secret.
pub fn generate_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// The step `unix_secs` falls in.
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// The code for one step (RFC 4226 §5.3, dynamic truncation).
pub fn code_at_step(secret: &[u8], step: i64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let tag = hmac::sign(&key, &step.to_be_bytes());
    let mac = tag.as_ref();
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        mac[offset],
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]) & 0x7fff_ffff;
    format!(
        "{:0width$}",
        binary % 10u32.pow(DIGITS),
        width = DIGITS as usize
    )
}

/// The step whose code `typed` is, among those near `unix_secs` and after `last_used` (a code,
/// once accepted, never counts again: nor does any earlier one). Comparison does not stop at the
/// first differing digit.
pub fn matching_step(secret: &[u8], typed: &str, unix_secs: i64, last_used: i64) -> Option<i64> {
    let typed = typed.trim();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_secs);
    (now - DRIFT_STEPS..=now + DRIFT_STEPS)
        .filter(|&step| step > last_used)
        .find(|&step| constant_time_eq(code_at_step(secret, step).as_bytes(), typed.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The enrolment URI an authenticator app scans (Google Authenticator's Key URI format):
/// `otpauth://totp/Issuer:account?secret=…&issuer=Issuer&…`.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let label = format!("{issuer}:{account}");
    let label: String = url::form_urlencoded::byte_serialize(label.as_bytes()).collect();
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("secret", &base32(secret))
        .append_pair("issuer", issuer)
        .append_pair("algorithm", "SHA1")
        .append_pair("digits", &DIGITS.to_string())
        .append_pair("period", &STEP_SECS.to_string())
        .finish();
    // Authenticator apps read `%20`, not `+`, in the label.
    format!("otpauth://totp/{}?{query}", label.replace('+', "%20"))
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding: how secrets are shown to people and to apps.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads [`base32`] back (case, spaces and padding ignored); `None` for any other character.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = ALPHABET
            .iter()
            .position(|&a| char::from(a) == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_rfc_6238_appendix_b_for_sha1() {
        // The RFC lists eight digits; six are the same number modulo 10^6.
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_at_step(RFC_SECRET, step_at(time)), code, "at {time}");
        }
    }

    #[test]
    fn a_code_counts_near_its_time_once_and_never_after_a_later_one() {
        let t = 1_111_111_109;
        let step = step_at(t);
        let code = code_at_step(RFC_SECRET, step);
        assert_eq!(matching_step(RFC_SECRET, &code, t, 0), Some(step));
        assert_eq!(
            matching_step(RFC_SECRET, &format!(" {code} "), t, 0),
            Some(step)
        );
        // A step either side still counts; two steps away does not.
        assert_eq!(
            matching_step(RFC_SECRET, &code, t + STEP_SECS, 0),
            Some(step)
        );
        assert_eq!(
            matching_step(RFC_SECRET, &code, t - STEP_SECS, 0),
            Some(step)
        );
        assert_eq!(matching_step(RFC_SECRET, &code, t + 2 * STEP_SECS, 0), None);
        // Used: neither it nor an earlier one again.
        assert_eq!(matching_step(RFC_SECRET, &code, t, step), None);
        let earlier = code_at_step(RFC_SECRET, step - 1);
        assert_eq!(matching_step(RFC_SECRET, &earlier, t, step), None);
    }

    #[test]
    fn malformed_codes_never_match() {
        for typed in ["", "12345", "1234567", "12345a", "２８７０８２", "28708 2"] {
            assert_eq!(matching_step(RFC_SECRET, typed, 59, 0), None, "{typed:?}");
        }
    }

    #[test]
    fn base32_is_rfc_4648() {
        for (raw, text) in [
            (&b""[..], ""),
            (b"f", "MY"),
            (b"fo", "MZXQ"),
            (b"foo", "MZXW6"),
            (b"foob", "MZXW6YQ"),
            (b"fooba", "MZXW6YTB"),
            (b"foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(raw), text);
            assert_eq!(from_base32(text).as_deref(), Some(raw));
        }
        assert_eq!(
            from_base32("mzxw 6ytb oi======").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(from_base32("MZ1"), None);
        let secret = generate_secret();
        assert_eq!(from_base32(&base32(&secret)), Some(secret));
    }

    #[test]
    fn the_uri_names_issuer_account_and_secret() {
        let uri = otpauth_uri("Guise", "olga smith", b"foobar");
        assert_eq!(
            uri,
            "otpauth://totp/Guise%3Aolga%20smith?secret=MZXW6YTBOI&issuer=Guise&algorithm=SHA1&digits=6&period=30"
        );
    }
}
