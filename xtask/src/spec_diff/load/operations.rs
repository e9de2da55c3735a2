//! The operations of a document, keyed by method and normalised path: the
//! document layer's own list ([`upstash_api_codegen::operations`]).

pub use upstash_api_codegen::{
    METHODS, OpKey, Operation, Param, operations, template_shape as normalise_path,
};
