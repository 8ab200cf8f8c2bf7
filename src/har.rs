//! The customer's evidence: widget tokens and identity hashes in a HAR file, where each was
//! issued and used, the vendor's answer, and the doctor's findings at the request's own time.

pub mod case;
pub mod find;
pub mod read;
pub mod redact;
pub mod vendor;
pub mod words;

pub use case::{Case, Judge, Outcome, TokenCase};

/// Reads a HAR (plain or gzip) and judges what it holds: one entry at a time in memory.
pub fn examine(reader: impl std::io::Read, what: &str, judge: &Judge<'_>) -> Result<Case, read::ReadError> {
    let mut collector = case::Collector::default();
    let mut index = 0;
    let log = read::read(reader, what, |entry| {
        collector.add(index, &entry);
        index = index.saturating_add(1);
    })?;
    Ok(collector.finish(&log, judge))
}
