//! Placeholder while the wrapper is written.
#[allow(unused_imports, dead_code)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/generated.rs"));
}
pub mod transport {
    //! placeholder
    #[derive(Clone, Debug)]
    pub struct Transport;
    impl progenitor_client::ClientHooks<Transport> for crate::generated::Client {}
}
