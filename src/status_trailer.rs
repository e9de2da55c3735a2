//! The status of a JSON success answer, carried at the end of its body.
//!
//! The generated code parses a success body itself, and when the body is
//! not the documented JSON it returns only the bytes and serde's error: no
//! status, no method. Checking the body beforehand would parse it twice on
//! every call. Instead the transport appends to each JSON success body a
//! trailer of JSON whitespace, which every JSON parser skips, that spells
//! the status and whether the request's method is idempotent. A body that
//! parses is unaffected; one that does not hands the trailer back to the
//! conversion into [`Error`](crate::Error), which reads it.
//!
//! The trailer is `\r`, sixteen spaces or tabs (bits: ten for the status,
//! one for idempotency, five of a fixed tag), then `\n`.

use bytes::Bytes;

/// The trailer's length in bytes.
const LENGTH: usize = 18;
/// Five bits every trailer carries, so a body that merely ends in white
/// space is not read as one.
const TAG: u16 = 0b10110;

/// The trailer for a `status` answer to a request whose method is (or is
/// not) `idempotent`.
pub(crate) fn encode(status: u16, idempotent: bool) -> Bytes {
    let bits = (status & 0x3ff) | (u16::from(idempotent) << 10) | (TAG << 11);
    let mut trailer = Vec::with_capacity(LENGTH);
    trailer.push(b'\r');
    trailer.extend((0..16).map(|bit| if bits & (1 << bit) != 0 { b'\t' } else { b' ' }));
    trailer.push(b'\n');
    Bytes::from(trailer)
}

/// The status and idempotency a body's trailer spells, if it ends in one.
pub(crate) fn decode(body: &[u8]) -> Option<(u16, bool)> {
    let trailer = body.get(body.len().checked_sub(LENGTH)?..)?;
    let (first, rest) = trailer.split_first()?;
    let (last, symbols) = rest.split_last()?;
    if (*first, *last) != (b'\r', b'\n') {
        return None;
    }
    let mut bits = 0u16;
    for (bit, symbol) in symbols.iter().enumerate() {
        match symbol {
            b'\t' => bits |= 1 << bit,
            b' ' => {}
            _ => return None,
        }
    }
    (bits >> 11 == TAG).then_some((bits & 0x3ff, bits & (1 << 10) != 0))
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[test]
    fn a_trailer_reads_back_and_is_json_whitespace() {
        for (status, idempotent) in [(200, true), (201, false), (299, true), (599, false)] {
            let mut body = br#"{"a": 1}"#.to_vec();
            body.extend_from_slice(&encode(status, idempotent));
            assert_eq!(decode(&body), Some((status, idempotent)));
            let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(parsed, serde_json::json!({"a": 1}));
        }
    }

    #[test]
    fn other_endings_are_not_trailers() {
        assert_eq!(decode(b""), None);
        assert_eq!(decode(b"{}"), None);
        assert_eq!(decode(b"{}\r                \n"), None, "no tag");
        assert_eq!(decode(&[b' '; 40]), None);
        let mut cut = encode(200, true).to_vec();
        cut.pop();
        assert_eq!(decode(&cut), None);
    }
}
