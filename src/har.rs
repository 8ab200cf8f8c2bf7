//! The customer's evidence: widget tokens and identity hashes in a HAR file, where each was
//! issued and used, the vendor's answer, and the doctor's findings at the request's own time.

pub mod find;
pub mod read;
