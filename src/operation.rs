//! What the hooks know about each operation beyond its id: generated from
//! the spec by `codegen` (`operation_facts`) as `generated::OPERATIONS`.

/// How a success body of an operation is read.
// Which variants the generated table uses depends on the spec.
#[allow(dead_code)]
#[derive(Clone, Copy)]
pub(crate) enum SuccessBody {
    /// No body is documented; the generated code does not read one.
    Empty,
    /// A JSON string, such as `"OK"`: any body is success (quoted, bare
    /// or empty).
    Text,
    /// A JSON value, parsed by the generated code into its type.
    Json,
    /// A raw stream, handed to the caller as it comes.
    Raw,
}

/// One operation's facts.
pub(crate) struct OperationFacts {
    /// The id progenitor passes the hooks.
    pub(crate) id: &'static str,
    /// The path the generated code builds, with its parameters as `{name}`
    /// (the spec's path template).
    pub(crate) path: &'static str,
    /// How its success body is read.
    pub(crate) success: SuccessBody,
    /// The success statuses it documents; empty when any 2xx is one.
    pub(crate) success_statuses: &'static [u16],
    /// The server the spec gives this operation (or its path), when it
    /// differs from the main one.
    pub(crate) server: Option<&'static str>,
}

impl OperationFacts {
    /// Whether the generated code takes `status` as this operation's success.
    pub(crate) fn documents(&self, status: u16) -> bool {
        (200..300).contains(&status)
            && (self.success_statuses.is_empty() || self.success_statuses.contains(&status))
    }
}

/// The facts of operation `id`, if the spec has it.
pub(crate) fn facts(id: &str) -> Option<&'static OperationFacts> {
    let table = crate::generated::OPERATIONS;
    table
        .binary_search_by(|facts| facts.id.cmp(id))
        .ok()
        .map(|index| &table[index])
}

#[cfg(test)]
mod tests {
    use super::facts;

    #[test]
    fn the_table_is_sorted_and_finds_every_operation() {
        let table = crate::generated::OPERATIONS;
        assert!(!table.is_empty());
        assert!(table.windows(2).all(|pair| pair[0].id < pair[1].id));
        for operation in table {
            assert_eq!(facts(operation.id).map(|f| f.id), Some(operation.id));
        }
        assert!(facts("no_such_operation").is_none());
    }
}
