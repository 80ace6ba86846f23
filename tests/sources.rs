//! Tests of the sources, mirroring `src/sources/`.
mod common;
mod sources {
    mod plan;
}
