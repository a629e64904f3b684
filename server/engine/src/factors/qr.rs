//! A QR code as an SVG image: one path of unit squares, a quiet zone of four modules, scaled by the
//! page. Drawn on the server, so the browser's bundle carries no encoder.

use crate::error::{Error, Result};
use qrcodegen::{QrCode, QrCodeEcc};
use std::fmt::Write as _;

const QUIET_ZONE: i32 = 4;

/// `text` as an SVG QR code (medium error correction), with `title` as its accessible name.
pub fn svg(text: &str, title: &str) -> Result<String> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium)
        .map_err(|_| Error::Internal("QR code data too long".into()))?;
    let side = code.size() + 2 * QUIET_ZONE;
    // One rectangle per run of dark modules in a row.
    let mut path = String::new();
    for y in 0..code.size() {
        let mut x = 0;
        while x < code.size() {
            if !code.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < code.size() && code.get_module(x, y) {
                x += 1;
            }
            let run = x - start;
            // Writing to a String cannot fail.
            let _ = write!(
                path,
                "M{},{}h{run}v1h-{run}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE
            );
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" role=\"img\" \
         shape-rendering=\"crispEdges\"><title>{}</title><rect width=\"{side}\" height=\"{side}\" \
         fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        escape(title)
    ))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use qrcodegen::{QrCode, QrCodeEcc};

    const URI: &str = "otpauth://totp/Guise:olga?secret=MZXW6YTBOI";

    #[test]
    fn the_svg_is_square_with_its_title_escaped() {
        let svg = super::svg(URI, "QR <code>").unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("<title>QR &lt;code&gt;</title>"));
        // The quiet zone on both sides of the code.
        let side = QrCode::encode_text(URI, QrCodeEcc::Medium).unwrap().size() + 8;
        assert!(
            svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")),
            "{svg}"
        );
        // The top-left finder pattern: a run of seven dark modules in the corner.
        assert!(svg.contains("M4,4h7v1h-7z"), "{svg}");
    }
}
