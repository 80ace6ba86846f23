//! Sources turn outside input into one [`crate::observation::Observation`]:
//! Terraform JSON ([`terraform`]) and the live account through the AWS SDK
//! ([`aws`]). Nothing outside `sources/` and `app/` names a source's types.

#[cfg(feature = "live")]
pub mod aws;
pub mod cloudtrail;
pub mod drift_report;
pub mod report_csv;
pub mod terraform;

/// The lowercase hex SHA-256 of a text: what `metadata_sha256` of a SAML
/// provider holds.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
