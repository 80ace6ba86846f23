//! The JSON Schema of baseline.yaml, for editors (`drift schema`).

pub const SCHEMA: &str = include_str!("schema.json");
