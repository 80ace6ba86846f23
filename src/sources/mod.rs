//! Sources turn outside input into one [`crate::observation::Observation`]:
//! Terraform JSON ([`terraform`]) and the live account through the AWS SDK
//! ([`aws`]). Nothing outside `sources/` and `app/` names a source's types.

#[cfg(feature = "live")]
pub mod aws;
pub mod report_csv;
pub mod terraform;
