//! JSON pointers (RFC 6901), the one way every reader of a spec writes and
//! reads them: a segment escaped (`~` as `~0`, `/` as `~1`) or read back,
//! and a pointer split into its segments ([`crate::NodePath`] reads them).

use std::borrow::Cow;

/// `segment` as one pointer segment; borrowed when nothing needs escaping.
pub fn escape_segment(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// The inverse of [`escape_segment`].
pub fn unescape_segment(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// The segments of `pointer`, read back: `/paths/~1db/get` gives `/db`
/// after `paths`.
pub fn pointer_segments(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> {
    pointer.split('/').skip(1).map(unescape_segment)
}

/// The name of the component schema `pointer` names
/// (`/components/schemas/A~1B` gives `A/B`); `None` for any other node,
/// one inside a schema included.
pub fn schema_name(pointer: &str) -> Option<Cow<'_, str>> {
    let name = pointer.strip_prefix("/components/schemas/")?;
    (!name.contains('/')).then(|| unescape_segment(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip() {
        for s in ["plain", "a/b", "~x", "~1/"] {
            assert_eq!(unescape_segment(&escape_segment(s)), s);
        }
        let got: Vec<_> = pointer_segments("/paths/~1db~1{id}/get").collect();
        assert_eq!(got, ["paths", "/db/{id}", "get"]);
    }

    #[test]
    fn a_schema_name_is_read_only_from_the_schema_itself() {
        assert_eq!(
            schema_name("/components/schemas/A~1B").as_deref(),
            Some("A/B")
        );
        assert_eq!(schema_name("/components/schemas/A/properties/b"), None);
        assert_eq!(schema_name("/components/parameters/A"), None);
    }
}
